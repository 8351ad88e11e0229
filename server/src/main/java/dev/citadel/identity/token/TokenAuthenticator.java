package dev.citadel.identity.token;

import java.security.cert.X509Certificate;
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
import dev.citadel.platform.db.AccessEpoch;
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

    /** The reason for a certificate-bound token presented without its certificate. */
    public static final String CERTIFICATE_MISMATCH = "certificate_mismatch";

    private final AccessTokens accessTokens;
    private final ExternalTokenVerifier external;
    private final RevokedTokens revoked;
    private final UserRepository users;
    private final ServiceAccountRepository serviceAccounts;
    private final TenantTransactions transactions;
    private final java.time.Clock clock;
    /**
     * Citadel tokens whose signature and claims verified, by SHA-256 of the whole token, for a
     * minute: an ES256 verification per request is most of the cost of authentication. A different
     * token (one changed byte) is a different key and is verified in full; expiry is checked on every
     * use; revocation and the principal's state are checked on every use below, never cached.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, TokenClaims> verified =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(java.time.Duration.ofMinutes(1))
                    .maximumSize(100_000).build();

    /** Principals by id, valid while the access epoch has not moved (disabling or changing one moves it). */
    private final AccessEpoch.Cache<UUID, Optional<PrincipalState>> userRecords;
    private final AccessEpoch.Cache<Map.Entry<TenantId, UUID>, Optional<PrincipalState>> accountRecords;

    /** What authentication needs of a principal's row, and nothing secret (no hashes, no TOTP seed). */
    private record PrincipalState(String name, boolean disabled, int tokenGeneration, boolean platformAdmin,
            boolean mfaEnabled, boolean certificateBound) {

        static PrincipalState of(UserRecord user) {
            return new PrincipalState(user.username(), user.disabled(), user.tokenGeneration(), user.platformAdmin(),
                    user.mfaEnabled(), false);
        }

        static PrincipalState of(ServiceAccountRecord account) {
            return new PrincipalState(account.name(), account.disabled(), account.tokenGeneration(), false, false,
                    account.certificateBound());
        }
    }

    TokenAuthenticator(AccessTokens accessTokens, ExternalTokenVerifier external, RevokedTokens revoked,
            UserRepository users, ServiceAccountRepository serviceAccounts, TenantTransactions transactions,
            java.time.Clock clock, AccessEpoch epoch) {
        this.userRecords = epoch.cache(100_000);
        this.accountRecords = epoch.cache(100_000);
        this.clock = clock;
        this.accessTokens = accessTokens;
        this.external = external;
        this.revoked = revoked;
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.transactions = transactions;
    }

    /** Authenticates a token presented without a client certificate: a certificate-bound token is refused. */
    public CitadelPrincipal authenticate(String raw) throws InvalidTokenException {
        return authenticate(raw, Optional.empty());
    }

    /**
     * Authenticates a token presented on a connection with {@code clientCertificate} (the TLS
     * client certificate the listener verified, if any). A certificate-bound token (RFC 8705 §3) is
     * refused with reason {@code certificate_mismatch} unless that certificate's SHA-256 equals its
     * {@code cnf.x5t#S256}.
     */
    public CitadelPrincipal authenticate(String raw, Optional<X509Certificate> clientCertificate)
            throws InvalidTokenException {
        return authenticate(raw, () -> clientCertificate);
    }

    /**
     * As {@link #authenticate(String, Optional)}, asking for the connection's certificate only when
     * the token is certificate-bound: reading it from the servlet container costs a thrown and caught
     * exception when the client sent none, which unbound tokens — nearly all — never need.
     */
    public CitadelPrincipal authenticate(String raw, java.util.function.Supplier<Optional<X509Certificate>> clientCertificate)
            throws InvalidTokenException {
        String key = digest(raw);
        TokenClaims known = verified.getIfPresent(key);
        if (known != null) {
            if (!clock.instant().isBefore(known.expiresAt())) {
                verified.invalidate(key);
                throw new InvalidTokenException("expired");
            }
            return local(known, clientCertificate);
        }
        SignedJWT jwt = AccessTokens.parseSafely(raw);
        String issuer;
        try {
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed");
        }
        if (accessTokens.issuer().equals(issuer)) {
            TokenClaims claims = accessTokens.verifyLocal(jwt);
            verified.put(key, claims);
            return local(claims, clientCertificate);
        }
        if (external.trusts(issuer)) {
            return external(external.verify(jwt, issuer));
        }
        throw new InvalidTokenException("issuer");
    }

    private static String digest(String raw) {
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verifies a Citadel token's signature and claims only (for revocation of one's own token). */
    public Optional<TokenClaims> verifiedClaims(String raw) {
        try {
            return Optional.of(accessTokens.verifyLocal(AccessTokens.parseSafely(raw)));
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
    }

    private CitadelPrincipal local(TokenClaims claims,
            java.util.function.Supplier<Optional<X509Certificate>> clientCertificate) throws InvalidTokenException {
        if (claims.boundCertificate().isPresent()
                && !clientCertificate.get().map(claims.boundCertificate().get()::matches).orElse(false)) {
            throw new InvalidTokenException(CERTIFICATE_MISMATCH);
        }
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
        PrincipalState user = userRecords.get(claims.subject().value(),
                        () -> transactions.inPlatform(() -> users.findById(claims.subject().value()).map(PrincipalState::of)))
                .orElseThrow(() -> new InvalidTokenException("principal_unknown"));
        if (user.disabled()) {
            throw new InvalidTokenException("principal_disabled");
        }
        checkGeneration(claims, user.tokenGeneration());
        boolean mfa = claims.multiFactor() && user.mfaEnabled();
        return new CitadelPrincipal(claims.subject(), user.name(), user.platformAdmin() && mfa, mfa,
                Optional.empty(), Map.of(), claims.jti());
    }

    private CitadelPrincipal serviceAccount(TokenClaims claims) throws InvalidTokenException {
        TenantId tenant = claims.tenant().orElseThrow(() -> new InvalidTokenException("claims"));
        PrincipalState account = accountRecords.get(Map.entry(tenant, claims.subject().value()),
                        () -> transactions.inTenant(tenant, () -> serviceAccounts.findById(tenant, claims.subject().value())
                                .map(PrincipalState::of)))
                .orElseThrow(() -> new InvalidTokenException("principal_unknown"));
        if (account.disabled()) {
            throw new InvalidTokenException("principal_disabled");
        }
        checkGeneration(claims, account.tokenGeneration());
        if (account.certificateBound() && claims.boundCertificate().isEmpty()) {
            // an account that authenticates with its certificate only ever holds bound tokens
            throw new InvalidTokenException(CERTIFICATE_MISMATCH);
        }
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
