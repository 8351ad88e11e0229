package dev.citadel.identity.token;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;

import org.springframework.stereotype.Component;

import dev.citadel.identity.serviceaccount.ServiceAccountRecord;
import dev.citadel.identity.serviceaccount.ServiceAccountRepository;
import dev.citadel.identity.user.UserRecord;
import dev.citadel.identity.user.UserRepository;
import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.PrincipalKind;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.db.TenantTransactions;

/**
 * Turns a bearer token into the request's principal, or refuses it.
 *
 * <p>Security guarantees: routes by the (unverified) issuer only to a verifier that then checks
 * the signature with that issuer's own keys — an unknown issuer is refused; after the signature and
 * claims, checks the {@code jti} against revocations and the principal against the database, so a
 * disabled or deleted principal, or one whose tokens were invalidated after this one was issued,
 * is refused at once. Platform-admin takes effect only for an MFA-authenticated session of a user
 * with TOTP enrolled.
 */
@Component
public class TokenAuthenticator {

    private final AccessTokens accessTokens;
    private final ExternalTokenVerifier external;
    private final RevokedTokens revoked;
    private final UserRepository users;
    private final ServiceAccountRepository serviceAccounts;
    private final TenantTransactions transactions;

    TokenAuthenticator(AccessTokens accessTokens, ExternalTokenVerifier external, RevokedTokens revoked,
            UserRepository users, ServiceAccountRepository serviceAccounts, TenantTransactions transactions) {
        this.accessTokens = accessTokens;
        this.external = external;
        this.revoked = revoked;
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.transactions = transactions;
    }

    public CitadelPrincipal authenticate(String raw) throws InvalidTokenException {
        SignedJWT jwt = AccessTokens.parseSafely(raw);
        String issuer;
        try {
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed");
        }
        if (accessTokens.issuer().equals(issuer)) {
            return local(accessTokens.verifyLocal(jwt));
        }
        if (external.trusts(issuer)) {
            return external(external.verify(jwt, issuer));
        }
        throw new InvalidTokenException("issuer");
    }

    /** Verifies a Citadel token's signature and claims only (for revocation of one's own token). */
    public Optional<TokenClaims> verifiedClaims(String raw) {
        try {
            return Optional.of(accessTokens.verifyLocal(AccessTokens.parseSafely(raw)));
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
    }

    private CitadelPrincipal local(TokenClaims claims) throws InvalidTokenException {
        if (revoked.isRevoked(claims.jti())) {
            throw new InvalidTokenException("revoked");
        }
        return switch (claims.subject().kind()) {
            case USER -> user(claims);
            case SERVICE_ACCOUNT -> serviceAccount(claims);
            case EXTERNAL -> throw new InvalidTokenException("principal_type");
        };
    }

    private CitadelPrincipal user(TokenClaims claims) throws InvalidTokenException {
        UserRecord user = transactions.inPlatform(() -> users.findById(claims.subject().value()))
                .orElseThrow(() -> new InvalidTokenException("principal_unknown"));
        if (user.disabled()) {
            throw new InvalidTokenException("principal_disabled");
        }
        checkGeneration(claims, user.tokenGeneration());
        boolean mfa = claims.multiFactor() && user.mfaEnabled();
        return new CitadelPrincipal(claims.subject(), user.username(), user.platformAdmin() && mfa, mfa,
                Optional.empty(), Map.of(), claims.jti());
    }

    private CitadelPrincipal serviceAccount(TokenClaims claims) throws InvalidTokenException {
        TenantId tenant = claims.tenant().orElseThrow(() -> new InvalidTokenException("claims"));
        ServiceAccountRecord account = transactions.inTenant(tenant,
                        () -> serviceAccounts.findById(tenant, claims.subject().value()))
                .orElseThrow(() -> new InvalidTokenException("principal_unknown"));
        if (account.disabled()) {
            throw new InvalidTokenException("principal_disabled");
        }
        checkGeneration(claims, account.tokenGeneration());
        return new CitadelPrincipal(claims.subject(), account.name(), false, false, Optional.of(tenant), Map.of(),
                claims.jti());
    }

    private CitadelPrincipal external(ExternalIdentity identity) throws InvalidTokenException {
        if (identity.jti() != null && revoked.isRevoked(identity.jti())) {
            throw new InvalidTokenException("revoked");
        }
        UUID id = UUID.nameUUIDFromBytes((identity.provider() + "|" + identity.subject())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new CitadelPrincipal(new PrincipalId(PrincipalKind.EXTERNAL, id), identity.provider() + ":" + identity.subject(),
                false, identity.multiFactor(), Optional.empty(), identity.grants(), identity.jti());
    }

    /** Tokens issued before the principal's tokens were invalidated (disable, secret rotation) are refused. */
    private static void checkGeneration(TokenClaims claims, int current) throws InvalidTokenException {
        if (claims.generation() != current) {
            throw new InvalidTokenException("invalidated");
        }
    }
}
