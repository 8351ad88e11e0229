package dev.citadel.identity;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.crypto.PlatformSecrets;
import dev.citadel.crypto.Totp;
import dev.citadel.identity.login.LoginThrottle;
import dev.citadel.identity.password.PasswordHasher;
import dev.citadel.identity.password.PasswordPolicy;
import dev.citadel.identity.token.RefreshTokens;
import dev.citadel.identity.user.UserRecord;
import dev.citadel.identity.user.UserRepository;
import dev.citadel.identity.user.Username;
import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.Secret;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/** Local user accounts: creation under the password policy, TOTP enrolment, disabling. */
@Service
public class Users {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserRepository repository;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final PlatformSecrets secrets;
    private final RefreshTokens refreshTokens;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    Users(UserRepository repository, PasswordPolicy policy, PasswordHasher hasher, PlatformSecrets secrets,
            RefreshTokens refreshTokens, LoginThrottle throttle, AuditLog audit, TenantTransactions transactions,
            Clock clock) {
        this.throttle = throttle;
        this.repository = repository;
        this.policy = policy;
        this.hasher = hasher;
        this.secrets = secrets;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A user as other features and the API see it: no hashes, no secrets. */
    public record UserView(UUID id, String username, boolean platformAdmin, boolean mfaEnabled, boolean disabled,
            Instant createdAt, Instant lastLoginAt) {

        public PrincipalId principalId() {
            return PrincipalId.user(id);
        }

        static UserView of(UserRecord user) {
            return new UserView(user.id(), user.username(), user.platformAdmin(), user.mfaEnabled(), user.disabled(),
                    user.createdAt(), user.lastLoginAt());
        }
    }

    /** A TOTP secret shown once to the user while enrolment is pending. */
    public record TotpEnrolment(Secret secret, String otpauthUri) {}

    public UserView create(String username, Secret password, boolean platformAdmin) {
        String name = Username.normalise(username);
        if (name == null) {
            throw CitadelException.invalid("username", "must be 3-64 characters: letters, digits, '.', '_', '@' or '-'");
        }
        checkPassword(password, name, "password");
        Instant now = clock.instant();
        UserRecord user = new UserRecord(UUID.randomUUID(), name, hasher.hash(password), null, null, 0, platformAdmin,
                false, 0, now, null);
        return transactions.inPlatform(() -> {
            if (repository.findByUsername(name).isPresent()) {
                throw new CitadelException(ErrorCode.USER_ALREADY_EXISTS, "A user with this name already exists.");
            }
            try {
                repository.insert(user);
            } catch (DuplicateKeyException raced) {
                throw new CitadelException(ErrorCode.USER_ALREADY_EXISTS, "A user with this name already exists.");
            }
            audit.append(AuditEvent.of(TenantId.PLATFORM, "user.create", "user", user.id().toString(),
                    AuditOutcome.SUCCESS, platformAdmin ? Map.of("platformAdmin", "true") : Map.of()));
            return UserView.of(user);
        });
    }

    /** Creates the first platform administrator with TOTP already active (first start only). */
    UserView createBootstrapAdmin(String username, Secret password, Secret totpSecret) {
        UserView view = create(username, password, true);
        byte[] secret = Totp.decodeSecret(totpSecret.reveal());
        transactions.inPlatform(() -> repository.activateTotp(view.id(),
                secrets.encrypt(secret, totpPurpose(view.id())), 0));
        return find(view.id()).orElseThrow();
    }

    public Optional<UserView> find(String username) {
        String name = Username.normalise(username);
        return name == null ? Optional.empty()
                : transactions.inPlatform(() -> repository.findByUsername(name).map(UserView::of));
    }

    public Optional<UserView> find(UUID id) {
        return transactions.inPlatform(() -> repository.findById(id).map(UserView::of));
    }

    public List<UserView> list(int offset, int limit) {
        return transactions.inPlatform(() -> repository.list(offset, limit).stream().map(UserView::of).toList());
    }

    public boolean isEmpty() {
        return transactions.inPlatform(() -> repository.count() == 0);
    }

    /** Disables a user: sign-in stops, and every live access and refresh token stops working. */
    public UserView disable(String username) {
        UserView user = find(username).orElseThrow(Users::notFound);
        transactions.inPlatform(() -> {
            repository.setDisabled(user.id(), true);
            audit.append(AuditEvent.success(TenantId.PLATFORM, "user.disable", "user", user.id().toString()));
        });
        refreshTokens.revokeAllOf(user.id());
        return find(user.id()).orElseThrow();
    }

    /** Re-enables a disabled user; tokens from before the disablement stay invalid. */
    public UserView enable(String username) {
        UserView user = find(username).orElseThrow(Users::notFound);
        transactions.inPlatform(() -> {
            repository.setDisabled(user.id(), false);
            audit.append(AuditEvent.success(TenantId.PLATFORM, "user.enable", "user", user.id().toString()));
        });
        return find(user.id()).orElseThrow();
    }

    /**
     * Removes a user's TOTP (lost device) so they can enrol again; every live session ends and any
     * admin role stops taking effect until they do.
     */
    public UserView resetTotp(String username) {
        UserView user = find(username).orElseThrow(Users::notFound);
        transactions.inPlatform(() -> {
            repository.resetTotp(user.id());
            audit.append(AuditEvent.success(TenantId.PLATFORM, "user.totp.reset", "user", user.id().toString()));
        });
        refreshTokens.revokeAllOf(user.id());
        return find(user.id()).orElseThrow();
    }

    /** Changes the caller's own password after checking the current one; every session ends, this one too. */
    public void changePassword(UUID userId, Secret current, Secret replacement, String sourceAddress) {
        UserRecord user = transactions.inPlatform(() -> repository.findById(userId)).orElseThrow(Users::notFound);
        LoginThrottle.Subjects subjects = LoginThrottle.subjects("acct", user.username(), sourceAddress);
        try {
            throttle.checkAllowed(subjects);
        } catch (CitadelException throttled) {
            transactions.inPlatform(() -> {
                audit.append(AuditEvent.of(TenantId.PLATFORM, "user.password.change", "user", userId.toString(),
                        AuditOutcome.DENIED, java.util.Map.of("reason", "throttled")));
            });
            throw throttled;
        }
        if (!hasher.verify(current, user.passwordHash())) {
            throttle.recordFailure(subjects);
            transactions.inPlatform(() -> {
                audit.append(AuditEvent.of(TenantId.PLATFORM, "user.password.change", "user", userId.toString(),
                        AuditOutcome.FAILURE, java.util.Map.of("reason", "wrong_current_password")));
            });
            throw new CitadelException(ErrorCode.AUTH_INVALID_CREDENTIALS, "The current password is wrong.");
        }
        checkPassword(replacement, user.username(), "newPassword");
        if (hasher.verify(replacement, user.passwordHash())) {
            throw CitadelException.invalid("newPassword", "must differ from the current password");
        }
        transactions.inPlatform(() -> {
            repository.setPasswordHash(userId, hasher.hash(replacement));
            audit.append(AuditEvent.success(TenantId.PLATFORM, "user.password.change", "user", userId.toString()));
        });
        throttle.recordSuccess(subjects);
        refreshTokens.revokeAllOf(userId);
    }

    /** Starts (or restarts) TOTP enrolment; refused once TOTP is active. */
    public TotpEnrolment beginTotpEnrolment(UUID userId) {
        UserRecord user = transactions.inPlatform(() -> repository.findById(userId)).orElseThrow(Users::notFound);
        if (user.mfaEnabled()) {
            throw new CitadelException(ErrorCode.REQUEST_CONFLICT,
                    "TOTP is already active for this account; ask a platform administrator to reset it.");
        }
        String secret = Totp.newSecret(RANDOM);
        transactions.inPlatform(() -> {
            repository.setPendingTotp(userId, secrets.encrypt(secret.getBytes(StandardCharsets.US_ASCII), pendingPurpose(userId)));
            audit.append(AuditEvent.success(TenantId.PLATFORM, "user.totp.enrolment_started", "user", userId.toString()));
        });
        return new TotpEnrolment(Secret.of(secret), Totp.uri("Citadel", user.username(), secret));
    }

    /** Activates the pending TOTP secret when {@code code} proves the user's authenticator holds it. */
    public void confirmTotp(UUID userId, String code) {
        transactions.inPlatform(() -> {
            UserRecord user = repository.findById(userId).orElseThrow(Users::notFound);
            if (user.totpPendingSecret() == null) {
                throw new CitadelException(ErrorCode.AUTH_TOTP_NOT_PENDING, "Start enrolment first: POST /api/v1/users/me/totp.");
            }
            String base32 = new String(secrets.decrypt(user.totpPendingSecret(), pendingPurpose(userId)),
                    StandardCharsets.US_ASCII);
            byte[] secret = Totp.decodeSecret(base32);
            OptionalLong step = Totp.matchingStep(secret, code, clock.instant());
            if (step.isEmpty()) {
                audit.append(AuditEvent.of(TenantId.PLATFORM, "user.totp.confirm", "user", userId.toString(),
                        AuditOutcome.FAILURE, Map.of("reason", "wrong_code")));
                throw new CitadelException(ErrorCode.AUTH_INVALID_TOTP, "The code does not match. Check the device clock.");
            }
            repository.activateTotp(userId, secrets.encrypt(secret, totpPurpose(userId)), step.getAsLong());
            audit.append(AuditEvent.success(TenantId.PLATFORM, "user.totp.activate", "user", userId.toString()));
            return null;
        });
    }

    private void checkPassword(Secret password, String username, String field) {
        if (password == null) {
            throw CitadelException.invalid(field, "is required");
        }
        List<String> problems = policy.problems(password, username);
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.USER_INVALID_PASSWORD, "The password does not meet the policy.",
                    problems.stream().map(p -> new CitadelException.FieldProblem(field, p)).toList(), null);
        }
    }

    static String totpPurpose(UUID userId) {
        return "totp:" + userId;
    }

    private static String pendingPurpose(UUID userId) {
        return "totp-pending:" + userId;
    }

    private static CitadelException notFound() {
        return new CitadelException(ErrorCode.USER_NOT_FOUND, "No such user.");
    }

}
