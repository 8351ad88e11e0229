package dev.citadel.identity.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.citadel.identity.IdentityProperties;
import dev.citadel.platform.Secret;
import dev.citadel.platform.db.TenantTransactions;

/**
 * One-time, rotating refresh tokens for people (OAuth 2.0 Security BCP §4.14): opaque random
 * values, stored only as SHA-256 hashes. Each use returns a new token of the same family; presenting
 * an already-used token revokes the whole family, since it means the token was copied.
 */
@Component
public class RefreshTokens {

    public static final String PREFIX = "rt_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final IdentityProperties properties;

    RefreshTokens(JdbcClient jdbc, TenantTransactions transactions, Clock clock, IdentityProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /** Starts a new family for a user who just signed in; {@code mfa} records how the session began. */
    public Secret issue(UUID userId, boolean mfa) {
        Instant now = clock.instant();
        return transactions.inPlatform(() -> insert(UUID.randomUUID(), userId, now.plus(properties.refreshSessionMaxAge()),
                mfa));
    }

    /** The outcome of presenting a refresh token. */
    public sealed interface Redemption {
        record Rotated(UUID userId, Secret newToken, boolean mfa) implements Redemption {}
        record Rejected(String reason) implements Redemption {}
    }

    public Redemption redeem(Secret presented) {
        byte[] hash = hash(presented);
        return transactions.inPlatform(() -> {
            Optional<Map<String, Object>> row = jdbc.sql("""
                    select family_id, user_id, expires_at, family_expires_at, used_at, revoked, mfa
                    from refresh_tokens where token_hash = ? for update
                    """).param(hash).query().listOfRows().stream().findFirst();
            if (row.isEmpty()) {
                return new Redemption.Rejected("unknown");
            }
            Map<String, Object> token = row.get();
            UUID family = (UUID) token.get("family_id");
            if (Boolean.TRUE.equals(token.get("revoked")) || token.get("used_at") != null) {
                revokeFamily(family);
                return new Redemption.Rejected("reused");
            }
            Instant now = clock.instant();
            if (instant(token.get("expires_at")).isBefore(now)) {
                return new Redemption.Rejected("expired");
            }
            jdbc.sql("update refresh_tokens set used_at = ? where token_hash = ?").param(at(now)).param(hash).update();
            UUID userId = (UUID) token.get("user_id");
            boolean mfa = Boolean.TRUE.equals(token.get("mfa"));
            return new Redemption.Rotated(userId, insert(family, userId, instant(token.get("family_expires_at")), mfa), mfa);
        });
    }

    /** Revokes the family of {@code presented}; unknown tokens are ignored (RFC 7009 §2.2). */
    public void revoke(Secret presented) {
        transactions.inPlatform(() -> jdbc.sql("select family_id from refresh_tokens where token_hash = ?")
                .param(hash(presented)).query(UUID.class).optional().ifPresent(this::revokeFamily));
    }

    public void revokeAllOf(UUID userId) {
        transactions.inPlatform(() -> jdbc.sql("update refresh_tokens set revoked = true where user_id = ?")
                .param(userId).update());
    }

    private void revokeFamily(UUID family) {
        jdbc.sql("update refresh_tokens set revoked = true where family_id = ?").param(family).update();
    }

    private Secret insert(UUID family, UUID userId, Instant familyExpires, boolean mfa) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        Secret token = Secret.of(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        Instant now = clock.instant();
        Instant expires = now.plus(properties.refreshTokenTtl());
        if (expires.isAfter(familyExpires)) {
            expires = familyExpires;
        }
        jdbc.sql("""
                insert into refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at, family_expires_at, mfa)
                values (?, ?, ?, ?, ?, ?, ?)
                """)
                .param(hash(token)).param(family).param(userId).param(at(now)).param(at(expires)).param(at(familyExpires))
                .param(mfa)
                .update();
        return token;
    }

    static byte[] hash(Secret token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.reveal().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type");
    }
}
