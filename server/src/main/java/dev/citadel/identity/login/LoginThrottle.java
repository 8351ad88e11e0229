package dev.citadel.identity.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.citadel.identity.IdentityProperties;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Exponential backoff and temporary lockout after repeated sign-in failures, per account name and
 * per source address (OWASP ASVS 5.0 §6.3.1), kept in the database so every replica sees it.
 *
 * <p>Security guarantees: the account key is a hash of whatever name was typed, existing or not,
 * so lockout behaves identically for unknown users and reveals nothing; a locked subject is refused
 * before its password is checked, so guessing stops while locked.
 */
@Component
public class LoginThrottle {

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final IdentityProperties.Lockout policy;

    LoginThrottle(JdbcClient jdbc, TenantTransactions transactions, Clock clock, IdentityProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.policy = properties.lockout();
    }

    /** The throttling subjects of one attempt. */
    public record Subjects(String accountKey, String addressKey) {}

    public static Subjects subjects(String kind, String name, String sourceAddress) {
        String normalised = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return new Subjects(kind + ":" + sha256(normalised), "addr:" + (sourceAddress == null ? "unknown" : sourceAddress));
    }

    /** Refuses with 429 and {@code Retry-After} while either subject is locked. */
    public void checkAllowed(Subjects subjects) {
        Instant now = clock.instant();
        Optional<Instant> until = transactions.inPlatform(() -> jdbc.sql(
                        "select max(locked_until) from login_attempts where subject_key in (?, ?) and locked_until > ?")
                .param(subjects.accountKey()).param(subjects.addressKey()).param(at(now))
                .query(OffsetDateTime.class).list().stream().filter(java.util.Objects::nonNull)
                .findFirst().map(OffsetDateTime::toInstant));
        if (until.isPresent()) {
            throw new CitadelException(ErrorCode.AUTH_TOO_MANY_ATTEMPTS,
                    "Too many failed sign-in attempts. Try again later.", List.of(), Duration.between(now, until.get()));
        }
    }

    public void recordFailure(Subjects subjects) {
        transactions.inPlatform(() -> {
            fail(subjects.accountKey(), policy.accountThreshold());
            fail(subjects.addressKey(), policy.addressThreshold());
        });
    }

    public void recordSuccess(Subjects subjects) {
        transactions.inPlatform(() -> jdbc.sql("delete from login_attempts where subject_key = ?")
                .param(subjects.accountKey()).update());
    }

    private void fail(String key, int threshold) {
        Instant now = clock.instant();
        Optional<Map<String, Object>> row = jdbc.sql(
                        "select failures, last_failure_at from login_attempts where subject_key = ? for update")
                .param(key).query().listOfRows().stream().findFirst();
        int failures = 1;
        if (row.isPresent()) {
            Instant last = toInstant(row.get().get("last_failure_at"));
            failures = last.plus(policy.window()).isAfter(now) ? ((Number) row.get().get("failures")).intValue() + 1 : 1;
        }
        Instant lockedUntil = failures >= threshold ? now.plus(lockFor(failures - threshold)) : null;
        if (row.isPresent()) {
            jdbc.sql("update login_attempts set failures = ?, locked_until = ?, last_failure_at = ? where subject_key = ?")
                    .param(failures).param(at(lockedUntil)).param(at(now)).param(key).update();
        } else {
            try {
                jdbc.sql("insert into login_attempts (subject_key, failures, locked_until, last_failure_at) values (?, ?, ?, ?)")
                        .param(key).param(failures).param(at(lockedUntil)).param(at(now)).update();
            } catch (DuplicateKeyException raced) {
                // a concurrent failure created the row first; this attempt is still counted by the next one
            }
        }
    }

    private Duration lockFor(int excess) {
        Duration delay = policy.baseDelay().multipliedBy(1L << Math.min(excess, 20));
        return delay.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : delay;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant toInstant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
