package dev.citadel.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * The access epoch behind the request path's caches, on H2 and on PostgreSQL: every committed
 * change to what authenticates or authorises a request moves it, bookkeeping and rolled-back
 * changes do not, and a cached lookup is never served once a change has committed.
 */
class AccessEpochTest extends IntegrationTest {

    @Autowired
    AccessEpoch epoch;

    @Test
    void everyCommittedChangeToAccessStateMovesTheEpochAndBookkeepingDoesNot() {
        String tenant = fx.createTenant("epoch");
        Fixtures.User user = fx.createUser("epoch-user");
        UUID userId = userId(user);

        long before = epoch.current();
        transactions.inPlatform(() -> jdbc.sql("update users set last_login_at = ?, totp_last_step = totp_last_step + 1 "
                + "where id = ?").param(OffsetDateTime.now(ZoneOffset.UTC)).param(userId).update());
        assertThat(epoch.current()).as("a login time is bookkeeping").isEqualTo(before);

        assertMoves(() -> fx.grant(tenant, user, "viewer"), "a membership");
        assertMoves(() -> transactions.inPlatform(() -> jdbc.sql("update users set disabled = true where id = ?")
                .param(userId).update()), "a user disabled");
        assertMoves(() -> transactions.inPlatform(() -> jdbc.sql(
                "insert into revoked_tokens (jti, expires_at) values (?, ?)").param(UUID.randomUUID().toString())
                .param(OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)).update()), "a revocation");
        assertMoves(() -> fx.createTenant("epoch-new"), "a new tenant");

        long unchanged = epoch.current();
        assertThatThrownBy(() -> transactions.inPlatform(() -> {
            jdbc.sql("update users set disabled = false where id = ?").param(userId).update();
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(epoch.current()).as("a rolled-back change").isEqualTo(unchanged);
    }

    @Test
    void aCachedLookupIsNeverServedAfterAChangeCommits() {
        AccessEpoch.Cache<String, String> cache = epoch.cache(10);
        AtomicInteger loads = new AtomicInteger();
        String tenant = fx.createTenant("epoch-cache");
        Fixtures.User user = fx.createUser("epoch-cache-user");

        assertThat(cache.get("k", () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        assertThat(cache.get("k", () -> "v" + loads.incrementAndGet())).as("unchanged: from memory").isEqualTo("v1");
        fx.grant(tenant, user, "viewer");
        assertThat(cache.get("k", () -> "v" + loads.incrementAndGet())).as("after a change: loaded again").isEqualTo("v2");
        assertThat(transactions.inTenant(new TenantId(tenant), () -> cache.get("k", () -> "v" + loads.incrementAndGet())))
                .as("inside a transaction, which may hold its own uncommitted change: never from memory")
                .isEqualTo("v3");
    }

    @Test
    void aMemberLosesATenantOnTheVeryNextRequestAfterRemoval() {
        String tenant = fx.createTenant("epoch-member");
        Fixtures.User user = fx.member(tenant, "viewer");
        String token = fx.token(user);
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/v1/tenants/" + tenant + "/datasets", token).status())
                    .as("served, then from the caches").isEqualTo(200);
        }
        fx.grant(tenant, user, "predictor");
        assertThat(api.get("/api/v1/tenants/" + tenant + "/datasets", token).status()).as("a new role, at once")
                .isEqualTo(403);
        assertThat(api.delete("/api/v1/tenants/" + tenant + "/members/" + user.username(), fx.adminToken()).status())
                .isIn(200, 204);
        assertThat(api.get("/api/v1/tenants/" + tenant + "/datasets", token).status()).as("no longer a member, at once")
                .isEqualTo(404);
    }

    private void assertMoves(Runnable change, String what) {
        long before = epoch.current();
        change.run();
        assertThat(epoch.current()).as(what).isGreaterThan(before);
    }

    private UUID userId(Fixtures.User user) {
        return transactions.inPlatform(() -> jdbc.sql("select id from users where username = ?").param(user.username())
                .query(UUID.class).single());
    }
}
