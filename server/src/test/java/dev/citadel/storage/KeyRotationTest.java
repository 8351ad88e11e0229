package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.crypto.BlobContext;
import dev.citadel.crypto.KeyPurpose;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;

/**
 * Rotation without downtime: a tenant admin rotates, data stays readable throughout, a background
 * job moves every blob to the new key; and the operator's KEK rotation re-wraps every keyset.
 */
class KeyRotationTest extends IntegrationTest {

    @Autowired
    EncryptedBlobs blobs;

    @Autowired
    TenantKeys keys;

    @Test
    void aTenantAdminRotatesAndAJobMovesEveryBlobToTheNewKey() {
        TenantId tenant = new TenantId(fx.createTenant("rotate"));
        Fixtures.User admin = fx.member(tenant.value(), "tenant-admin");
        List<BlobContext> written = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            BlobContext context = new BlobContext(tenant, BlobContext.BlobKind.MODEL, UUID.randomUUID(), 1);
            blobs.write(context, new ByteArrayInputStream(("model " + i).getBytes()));
            written.add(context);
        }
        long before = keys.primaryKeyId(tenant, KeyPurpose.BLOBS);

        Api.Response rotated = api.post("/api/v1/tenants/" + tenant.value() + "/keys/rotation", fx.token(admin), "{}");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(202);
        String jobUrl = rotated.header("Location");
        assertThat(jobUrl).endsWith("/jobs/" + rotated.json().path("reencryption").path("id").asString());
        long after = keys.primaryKeyId(tenant, KeyPurpose.BLOBS);
        assertThat(after).isNotEqualTo(before);
        assertThat(new String(blobs.readAllBytes(written.getFirst()))).as("readable before re-encryption").isEqualTo("model 0");

        String viewer = fx.token(fx.member(tenant.value(), "viewer"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(api.get(jobUrl, viewer).json().path("state").asString()).isEqualTo("succeeded"));
        Api.Response job = api.get(jobUrl, viewer);
        assertThat(job.json().path("percent").asInt()).isEqualTo(100);
        assertThat(job.json().path("result").path("reencrypted").asString()).isEqualTo("5");

        for (int i = 0; i < written.size(); i++) {
            assertThat(blobs.find(written.get(i)).orElseThrow().keyId()).isEqualTo(after);
            assertThat(new String(blobs.readAllBytes(written.get(i)))).isEqualTo("model " + i);
        }
        Api.Response listed = api.get("/api/v1/tenants/" + tenant.value() + "/keys", fx.token(admin));
        Map<String, Integer> perPurpose = new java.util.HashMap<>();
        listed.json().path("keys").forEach(k -> perPurpose.merge(k.path("purpose").asString(), 1, Integer::sum));
        assertThat(perPurpose).containsEntry("blobs", 2).containsEntry("secrets", 2).containsEntry("signing", 2)
                .containsEntry("tokens", 1);
        assertThat(listed.body()).doesNotContain("keyValue").doesNotContain("\"value\"");
        assertThat(audit.latest(tenant, 50)).extracting(e -> e.get("action")).contains("key.rotate", "key.wrap");
    }

    @Test
    void theOperatorRotatesTheKekAndEveryKeysetIsRewrapped() {
        TenantId tenant = new TenantId(fx.createTenant("kek"));
        BlobContext context = new BlobContext(tenant, BlobContext.BlobKind.DATASET, UUID.randomUUID(), 1);
        blobs.write(context, new ByteArrayInputStream("still readable".getBytes()));
        String before = api.get("/api/v1/platform/kek", fx.adminToken()).json().path("currentVersion").asString();

        Api.Response rotated = api.post("/api/v1/platform/kek/rotation", fx.adminToken(), "{}");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String after = rotated.json().path("kekId").asString();
        assertThat(after).isNotEqualTo(before).startsWith("local:");
        assertThat(rotated.json().path("tenantKeysets").asInt()).isGreaterThanOrEqualTo(4);

        Set<String> kekIds = new HashSet<>(transactions.inTenant(tenant, () -> jdbc.sql(
                "select kek_id from tenant_keysets where tenant_id = ?").param(tenant.value()).query(String.class).list()));
        assertThat(kekIds).containsExactly(after);
        assertThat(new HashSet<>(jdbc.sql("select kek_id from platform_keysets").query(String.class).list()))
                .containsExactly(after);
        assertThat(new String(blobs.readAllBytes(context))).isEqualTo("still readable");
        Api.Response rewrap = api.post("/api/v1/platform/kek/rewrap", fx.adminToken(), "{}");
        assertThat(rewrap.json().path("kekId").asString()).as("rewrap creates no new version").isEqualTo(after);
        assertThat(rewrap.json().path("tenantKeysets").asInt()).as("nothing left to move").isZero();
        fx.forget(new Fixtures.User(IntegrationTest.ADMIN_USER, IntegrationTest.ADMIN_PASSWORD));
        assertThat(fx.adminToken()).as("TOTP secrets still decrypt after re-wrapping").isNotBlank();
    }
}
