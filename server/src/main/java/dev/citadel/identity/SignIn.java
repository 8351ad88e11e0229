package dev.citadel.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import javax.security.auth.x500.X500Principal;

import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.crypto.PlatformSecrets;
import dev.citadel.crypto.Totp;
import dev.citadel.identity.login.LoginThrottle;
import dev.citadel.identity.password.PasswordHasher;
import dev.citadel.identity.serviceaccount.ServiceAccountRecord;
import dev.citadel.identity.serviceaccount.ServiceAccountRepository;
import dev.citadel.identity.token.AccessTokens;
import dev.citadel.identity.token.CertificateThumbprint;
import dev.citadel.identity.token.IssuedToken;
import dev.citadel.identity.token.RefreshTokens;
import dev.citadel.identity.token.RevokedTokens;
import dev.citadel.identity.token.TokenAuthenticator;
import dev.citadel.identity.user.UserRecord;
import dev.citadel.identity.user.UserRepository;
import dev.citadel.identity.user.Username;
import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.Secret;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Sign-in for people (password + TOTP), client credentials for service accounts, refresh-token
 * rotation and revocation.
 *
 * <p>Security guarantees: an unknown user, a disabled user, a wrong password, a missing, wrong or
 * replayed one-time code all answer the same 401 after the same password-hashing work; failures
 * feed {@link LoginThrottle}; a TOTP step is accepted once only; every outcome is audited in the
 * platform trail (never with the password or code).
 */
@Service
public class SignIn {

    private final UserRepository users;
    private final ServiceAccountRepository serviceAccounts;
    private final PasswordHasher hasher;
    private final PlatformSecrets secrets;
    private final LoginThrottle throttle;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final RevokedTokens revokedTokens;
    private final TokenAuthenticator authenticator;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    SignIn(UserRepository users, ServiceAccountRepository serviceAccounts, PasswordHasher hasher,
            PlatformSecrets secrets, LoginThrottle throttle, AccessTokens accessTokens, RefreshTokens refreshTokens,
            RevokedTokens revokedTokens, TokenAuthenticator authenticator, AuditLog audit,
            TenantTransactions transactions, Clock clock) {
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.hasher = hasher;
        this.secrets = secrets;
        this.throttle = throttle;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.revokedTokens = revokedTokens;
        this.authenticator = authenticator;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    public TokenResponse login(String username, Secret password, String totp, String sourceAddress) {
        LoginThrottle.Subjects subjects = LoginThrottle.subjects("acct", username, sourceAddress);
        checkAllowed(subjects, "auth.login");
        String name = Username.normalise(username);
        Optional<UserRecord> found = name == null ? Optional.empty()
                : transactions.inPlatform(() -> users.findByUsername(name));
        boolean passwordOk = found.isPresent() && !found.get().disabled()
                ? hasher.verify(password, found.get().passwordHash())
                : hasher.verifyAgainstDummy(password);
        String failure = !passwordOk ? (found.isEmpty() ? "unknown_user" : found.get().disabled() ? "disabled" : "password")
                : secondFactorFailure(found.get(), totp);
        if (failure != null) {
            throttle.recordFailure(subjects);
            record("auth.login", "anonymous", found.map(u -> u.id().toString()).orElse(null), AuditOutcome.FAILURE,
                    Map.of("reason", failure));
            throw new CitadelException(ErrorCode.AUTH_INVALID_CREDENTIALS, "Invalid username, password or one-time code.");
        }
        UserRecord user = found.get();
        throttle.recordSuccess(subjects);
        PrincipalId principal = PrincipalId.user(user.id());
        List<String> amr = user.mfaEnabled() ? List.of("pwd", "otp") : List.of("pwd");
        IssuedToken token = accessTokens.issue(principal, AccessTokens.LOGIN_CLIENT_ID, amr, Optional.empty(),
                user.tokenGeneration());
        Secret refresh = refreshTokens.issue(user.id(), user.mfaEnabled());
        transactions.inPlatform(() -> {
            users.recordLogin(user.id(), clock.instant());
            audit.append(new AuditEvent(TenantId.PLATFORM, principal.qualified(), "auth.login", "user",
                    user.id().toString(), AuditOutcome.SUCCESS, new TreeMap<>(Map.of("amr", String.join(" ", amr)))));
        });
        return new TokenResponse(token.value(), "Bearer", token.expiresInSeconds(), refresh.reveal());
    }

    /** Null when the second factor is satisfied (or not enrolled); otherwise the audit reason. */
    private String secondFactorFailure(UserRecord user, String code) {
        if (!user.mfaEnabled()) {
            return null;
        }
        if (code == null || code.isBlank()) {
            return "totp_missing";
        }
        byte[] secret = secrets.decrypt(user.totpSecret(), Users.totpPurpose(user.id()));
        OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
        if (step.isEmpty()) {
            return "totp_wrong";
        }
        boolean fresh = transactions.inPlatform(() -> users.consumeTotpStep(user.id(), step.getAsLong()));
        return fresh ? null : "totp_replayed";
    }

    public TokenResponse clientCredentials(String clientId, Secret clientSecret, String sourceAddress) {
        return clientCredentials(clientId, clientSecret, Optional.empty(), sourceAddress);
    }

    /**
     * The client credentials grant. An account registered with a certificate subject (RFC 8705
     * §2.1 {@code tls_client_auth}) authenticates only with a TLS client certificate of that subject
     * (the listener has verified it chains to {@code citadel.tls.client-ca}) and no secret; any other
     * account with its secret. When the connection presented a certificate, the token is bound to it
     * ({@code cnf.x5t#S256}, RFC 8705 §3). Every failure answers the same {@code auth.invalid_client}.
     *
     * @param clientSecret the secret, or {@code null} when none was sent
     * @param certificate  the connection's verified client certificate, if any
     */
    public TokenResponse clientCredentials(String clientId, Secret clientSecret, Optional<X509Certificate> certificate,
            String sourceAddress) {
        LoginThrottle.Subjects subjects = LoginThrottle.subjects("client", clientId, sourceAddress);
        checkAllowed(subjects, "auth.client_credentials");
        Optional<ServiceAccountRecord> account = findClient(clientId);
        byte[] presented = sha256(clientSecret);
        String refusal = account.isEmpty() ? "unknown_client"
                : account.get().disabled() ? "disabled"
                : refusal(account.get(), clientSecret, presented, certificate);
        if (refusal != null) {
            throttle.recordFailure(subjects);
            record("auth.client_credentials", "anonymous", account.map(a -> a.id().toString()).orElse(null),
                    AuditOutcome.FAILURE, Map.of("reason", refusal));
            throw new CitadelException(ErrorCode.AUTH_INVALID_CLIENT, "Invalid client credentials.");
        }
        ServiceAccountRecord sa = account.get();
        throttle.recordSuccess(subjects);
        PrincipalId principal = PrincipalId.serviceAccount(sa.id());
        Optional<CertificateThumbprint> binding = certificate.map(CertificateThumbprint::of);
        IssuedToken token = accessTokens.issue(principal, sa.clientId(),
                List.of(sa.certificateBound() ? "tls_client_auth" : "client_secret"), Optional.of(sa.tenant()),
                sa.tokenGeneration(), binding);
        transactions.inTenant(sa.tenant(), () -> {
            serviceAccounts.recordUse(sa.tenant(), sa.id(), clock.instant());
            TreeMap<String, String> details = new TreeMap<>();
            binding.ifPresent(thumbprint -> details.put("certificate_bound", "true"));
            audit.append(new AuditEvent(sa.tenant(), principal.qualified(), "auth.client_credentials", "service-account",
                    sa.id().toString(), AuditOutcome.SUCCESS, details));
        });
        return new TokenResponse(token.value(), "Bearer", token.expiresInSeconds(), null);
    }

    /** Why the account's credentials are refused, or {@code null} when they authenticate it. */
    private static String refusal(ServiceAccountRecord account, Secret secret, byte[] presentedHash,
            Optional<X509Certificate> certificate) {
        if (account.certificateBound()) {
            if (secret != null) {
                return "secret_for_certificate_account";
            }
            if (certificate.isEmpty()) {
                return "no_certificate";
            }
            return new X500Principal(account.tlsSubjectDn()).equals(certificate.get().getSubjectX500Principal())
                    ? null : "certificate_subject";
        }
        return secret != null && MessageDigest.isEqual(presentedHash, account.secretHash()) ? null : "secret";
    }

    private Optional<ServiceAccountRecord> findClient(String clientId) {
        if (clientId == null || clientId.length() > 120) {
            return Optional.empty();
        }
        int dot = clientId.indexOf('.');
        TenantId tenant = dot > 0 ? TenantId.parseOrNull(clientId.substring(0, dot)) : null;
        if (tenant == null) {
            return Optional.empty();
        }
        return transactions.inTenant(tenant, () -> serviceAccounts.findByClientId(tenant, clientId));
    }

    public TokenResponse refresh(Secret refreshToken, String sourceAddress) {
        LoginThrottle.Subjects subjects = LoginThrottle.subjects("refresh", sourceAddress, sourceAddress);
        checkAllowed(subjects, "auth.refresh");
        RefreshTokens.Redemption redemption = refreshToken == null || refreshToken.isEmpty()
                ? new RefreshTokens.Redemption.Rejected("missing") : refreshTokens.redeem(refreshToken);
        if (redemption instanceof RefreshTokens.Redemption.Rotated rotated) {
            Optional<UserRecord> user = transactions.inPlatform(() -> users.findById(rotated.userId()));
            if (user.isPresent() && !user.get().disabled()) {
                UserRecord u = user.get();
                List<String> amr = rotated.mfa() && u.mfaEnabled() ? List.of("pwd", "otp") : List.of("pwd");
                IssuedToken token = accessTokens.issue(PrincipalId.user(u.id()), AccessTokens.LOGIN_CLIENT_ID, amr,
                        Optional.empty(), u.tokenGeneration());
                record("auth.refresh", PrincipalId.user(u.id()).qualified(), u.id().toString(), AuditOutcome.SUCCESS, Map.of());
                return new TokenResponse(token.value(), "Bearer", token.expiresInSeconds(), rotated.newToken().reveal());
            }
            refreshTokens.revoke(rotated.newToken());
            redemption = new RefreshTokens.Redemption.Rejected("disabled");
        }
        String reason = ((RefreshTokens.Redemption.Rejected) redemption).reason();
        throttle.recordFailure(subjects);
        record("auth.refresh", "anonymous", null, AuditOutcome.FAILURE, Map.of("reason", reason));
        throw new CitadelException(ErrorCode.AUTH_INVALID_GRANT, "The refresh token is invalid, expired or already used.");
    }

    /**
     * RFC 7009 revocation: a refresh token revokes its whole family; a Citadel access token is
     * revoked by {@code jti} until it expires. Unknown tokens are ignored.
     */
    public void revoke(Secret token) {
        if (token == null || token.isEmpty()) {
            return;
        }
        if (token.reveal().startsWith(RefreshTokens.PREFIX)) {
            refreshTokens.revoke(token);
            record("auth.revoke", "anonymous", null, AuditOutcome.SUCCESS, Map.of("tokenType", "refresh_token"));
            return;
        }
        authenticator.verifiedClaims(token.reveal()).ifPresent(claims -> {
            revokedTokens.revoke(claims.jti(), claims.expiresAt());
            record("auth.revoke", claims.subject().qualified(), claims.subject().value().toString(), AuditOutcome.SUCCESS,
                    Map.of("tokenType", "access_token"));
        });
    }

    /** Refuses throttled attempts, auditing each refusal. */
    private void checkAllowed(LoginThrottle.Subjects subjects, String action) {
        try {
            throttle.checkAllowed(subjects);
        } catch (CitadelException throttled) {
            record(action, "anonymous", null, AuditOutcome.DENIED, Map.of("reason", "throttled"));
            throw throttled;
        }
    }

    private void record(String action, String actor, String targetId, AuditOutcome outcome, Map<String, String> details) {
        transactions.inPlatform(() -> {
            audit.append(new AuditEvent(TenantId.PLATFORM, actor, action, targetId == null ? null : "principal", targetId,
                    outcome, new TreeMap<>(details)));
        });
    }

    static byte[] sha256(Secret secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret == null ? new byte[0]
                    : secret.reveal().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
