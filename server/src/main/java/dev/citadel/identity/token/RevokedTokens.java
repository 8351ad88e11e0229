package dev.citadel.identity.token;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.citadel.platform.db.AccessEpoch;
import dev.citadel.platform.db.TenantTransactions;

/** Access tokens revoked before expiry (RFC 7009), by {@code jti}, kept until they would have expired. */
@Component
public class RevokedTokens {

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final Clock clock;
    /** Revocation answers by jti, valid while the access epoch has not moved (a revocation moves it). */
    private final AccessEpoch.Cache<String, Boolean> answers;

    RevokedTokens(JdbcClient jdbc, TenantTransactions transactions, Clock clock, AccessEpoch epoch) {
        this.answers = epoch.cache(100_000);
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    public void revoke(String jti, Instant expiresAt) {
        transactions.inPlatform(() -> {
            if (!revokedInDatabase(jti)) {
                jdbc.sql("insert into revoked_tokens (jti, expires_at) values (?, ?)")
                        .param(jti).param(OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)).update();
            }
        });
    }

    public boolean isRevoked(String jti) {
        return answers.get(jti, () -> transactions.inPlatform(() -> revokedInDatabase(jti)));
    }

    private boolean revokedInDatabase(String jti) {
        return jdbc.sql("select count(*) from revoked_tokens where jti = ?").param(jti).query(Long.class).single() > 0;
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    void purgeExpired() {
        transactions.inPlatform(() -> jdbc.sql("delete from revoked_tokens where expires_at < ?")
                .param(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).update());
    }
}
