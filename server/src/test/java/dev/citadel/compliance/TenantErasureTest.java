package dev.citadel.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.auditverifier.AuditKeys;
import dev.citadel.auditverifier.SignedDocument;
import dev.citadel.crypto.BlobContext;
import dev.citadel.platform.TenantId;
import dev.citadel.storage.BlobStore;
import dev.citadel.storage.EncryptedBlobs;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;

/**
 * Whole-tenant erasure: the keys are destroyed, so a copy of an object taken before (a backup) can
 * no longer be decrypted even when put back; the objects and rows are gone and every URL answers
 * 404; the trail and a certificate that verifies offline remain; the id is never reused.
 */
class TenantErasureTest extends IntegrationTest {

    @Autowired
    BlobStore store;

    @Autowired
    EncryptedBlobs blobs;

    @Test
    void aTenantIsCryptoShreddedAndItsBackupsCannotBeRestored() throws Exception {
        String tenant = fx.createTenant("shred");
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Fixtures.User scientist = fx.member(tenant, "data-scientist");
        String base = "/api/v1/tenants/" + tenant;
        assertThat(api.postRaw(base + "/datasets/visits/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(40, 2)).status()).isEqualTo(201);
        List<String> objects = store.list("tenants/" + tenant + "/");
        assertThat(objects).isNotEmpty();
        String key = objects.getFirst();
        byte[] backup;
        try (var in = store.get(key)) {
            backup = in.readAllBytes();
        }

        assertThat(api.post("/api/v1/platform/tenant-erasures", fx.adminToken(), Map.of("tenant", tenant,
                "confirm", "something-else")).code()).isEqualTo("erasure.invalid");
        assertThat(api.post("/api/v1/platform/tenant-erasures", fx.token(admin), Map.of("tenant", tenant,
                "confirm", tenant)).status()).as("tenant admins cannot erase a tenant").isEqualTo(403);
        Api.Response requested = api.post("/api/v1/platform/tenant-erasures", fx.adminToken(), Map.of("tenant", tenant,
                "confirm", tenant));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
        String id = requested.json().path("id").asString();
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String state = api.get("/api/v1/platform/tenant-erasures/" + id, fx.adminToken()).json().path("state").asString();
            return state.equals("succeeded") || state.equals("failed");
        });
        JsonNode job = api.get("/api/v1/platform/tenant-erasures/" + id, fx.adminToken()).json();
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("succeeded");

        assertThat(store.list("tenants/" + tenant + "/")).as("no object is left").isEmpty();
        assertThat(api.get(base + "/datasets", fx.token(admin)).status()).isEqualTo(404);
        assertThat(api.get(base + "/datasets/visits/versions/1", fx.token(scientist)).status()).isEqualTo(404);
        assertThat(transactions.inTenant(new TenantId(tenant), () -> jdbc.sql(
                "select count(*) from datasets where tenant_id = ?").param(tenant).query(Long.class).single())).isZero();

        // a backup of an object, put back after the erasure, cannot be decrypted: the keys are gone
        store.put(key, out -> out.write(backup));
        String[] parts = key.split("/");
        BlobContext context = new BlobContext(new TenantId(tenant), BlobContext.BlobKind.DATASET,
                java.util.UUID.fromString(parts[3]), Integer.parseInt(parts[4].substring(1)));
        assertThatThrownBy(() -> blobs.readAllBytes(context)).as("crypto-shredded").isInstanceOf(Exception.class);
        store.delete(key);

        String certificate = api.get("/api/v1/platform/tenant-erasures/" + id + "/certificate", fx.adminToken()).body();
        Map<String, PublicKey> keys = new HashMap<>();
        for (JsonNode k : api.get("/api/v1/audit/signing-keys", null).json().path("keys")) {
            byte[] spki = AuditKeys.fromPem(k.path("publicKey").asString());
            keys.put(AuditKeys.keyId(spki), AuditKeys.parse(spki));
        }
        SignedDocument.Verification verified = SignedDocument.verify(certificate, "citadel-erasure-certificate/v1", keys);
        assertThat(verified.valid()).as(verified.problem()).isTrue();
        assertThat(verified.document().path("keysDestroyed").size()).isPositive();
        assertThat(verified.document().path("erasedObjects").get(0).path("sha256").asString()).hasSize(64);
        assertThat(verified.document().path("rowsDeleted").path("dataset_versions").asInt()).isEqualTo(1);

        JsonNode shown = api.get("/api/v1/tenants/" + tenant, fx.adminToken()).json();
        assertThat(shown.path("erasedAt").isNull()).isFalse();
        assertThat(api.post("/api/v1/tenants", fx.adminToken(), Api.json("id", tenant, "name", "Again", "region",
                "eu-west-1")).status()).as("an erased tenant's id is never reused").isEqualTo(409);
        assertThat(audit.latest(TenantId.PLATFORM, 50)).extracting(e -> e.get("action")).contains("tenant.erase",
                "erasure.complete");
        assertThat(api.post("/api/v1/platform/tenant-erasures", fx.adminToken(), Map.of("tenant", tenant,
                "confirm", tenant)).status()).isEqualTo(409);
        JsonNode trail = api.get("/api/v1/platform/audit?limit=50", fx.adminToken()).json();
        assertThat(trail.toString()).contains("tenant.erase");
        assertThat(new ByteArrayInputStream(backup).available()).isPositive();
    }
}
