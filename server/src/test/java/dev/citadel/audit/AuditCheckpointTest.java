package dev.citadel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.auditverifier.AuditExport;
import dev.citadel.auditverifier.AuditKeys;
import dev.citadel.auditverifier.ChainVerifier;
import dev.citadel.auditverifier.MerkleTree;
import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Through the API: a tenant's trail gets signed checkpoints by count and by time, verifies, proves
 * inclusion and consistency, filters, and exports a file the offline verifier accepts with the
 * published key; tampering in the database shows in the verification; other tenants see nothing.
 */
class AuditCheckpointTest extends IntegrationTest {

    @Autowired
    private AuditCheckpoints checkpoints;

    @Test
    void crossingTheCountMarkSignsACheckpointAndTheIntervalCoversTheRest() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("marks");
        TenantId id = new TenantId(tenant.id());
        String admin = fx.token(tenant.member("tenant-admin"));
        while (head(id) < 27) {
            api.get("/api/v1/tenants/" + tenant.id() + "/members", fx.token(tenant.member("viewer"))); // audited denials
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> latestCheckpoint(id) >= 25);

        checkpoints.checkpointDirty();
        Api.Response verification = api.get("/api/v1/tenants/" + tenant.id() + "/audit/verification",
                fx.token(tenant.member("auditor")));
        assertThat(verification.status()).isEqualTo(200);
        JsonNode report = verification.json();
        assertThat(report.path("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.path("entries").asLong()).isEqualTo(head(id));
        assertThat(report.path("latestCheckpoint").path("size").asLong()).isEqualTo(head(id));
        assertThat(report.path("firstInvalidEntry").isNull()).isTrue();
        assertThat(api.get("/api/v1/tenants/" + tenant.id() + "/audit/verification", admin).status()).isEqualTo(200);
    }

    @Test
    void anUpdateOnOneRowInTheDatabaseIsReportedAtThatEntry() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("updated");
        TenantId id = new TenantId(tenant.id());
        checkpoints.checkpoint(id);
        new Dba(jdbc).execute("update audit_events set outcome = 'denied' where tenant_id = ? and seq = 3", tenant.id());

        JsonNode report = api.get("/api/v1/tenants/" + tenant.id() + "/audit/verification",
                fx.token(tenant.member("auditor"))).json();
        assertThat(report.path("valid").asBoolean()).isFalse();
        assertThat(report.path("firstInvalidEntry").asLong()).isEqualTo(3);
        assertThat(report.path("problem").asString()).contains("entry 3");
    }

    @Test
    void theExportVerifiesOfflineWithThePublishedKeyAndProofsCheckAgainstCheckpoints() throws Exception {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("exported");
        TenantId id = new TenantId(tenant.id());
        String auditor = fx.token(tenant.member("auditor"));
        long first = checkpoints.checkpoint(id).orElseThrow().size();
        api.get("/api/v1/tenants/" + tenant.id() + "/members", fx.token(tenant.member("viewer")));
        api.get("/api/v1/tenants/" + tenant.id() + "/members", fx.token(tenant.member("viewer")));
        long second = checkpoints.checkpoint(id).orElseThrow().size();

        Map<String, PublicKey> keys = new HashMap<>();
        for (JsonNode key : api.get("/api/v1/audit/signing-keys", null).json().path("keys")) {
            keys.put(key.path("keyId").asString(), AuditKeys.parse(AuditKeys.fromPem(key.path("publicKey").asString())));
        }
        assertThat(keys).isNotEmpty();
        Api.Response export = api.get("/api/v1/tenants/" + tenant.id() + "/audit/export", auditor);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
        ChainVerifier.Report offline = AuditExport.verify(new StringReader(export.body()), keys, List.of());
        assertThat(offline.valid()).as(offline.problem()).isTrue();
        assertThat(offline.latestCheckpoint().size()).isEqualTo(second);

        String tampered = export.body().replaceFirst("\"actor\":\"user:", "\"actor\":\"user:x");
        assertThat(AuditExport.verify(new StringReader(tampered), keys, List.of()).valid()).isFalse();

        JsonNode inclusion = api.get("/api/v1/tenants/" + tenant.id() + "/audit/proofs/inclusion?seq=2&treeSize="
                + second, auditor).json();
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] secondRoot = offline.latestCheckpoint().root();
        assertThat(MerkleTree.verifyInclusion(1, second, b64.decode(inclusion.path("leafHash").asString()),
                decode(inclusion.path("proof")), secondRoot)).isTrue();

        JsonNode consistency = api.get("/api/v1/tenants/" + tenant.id() + "/audit/proofs/consistency?from=" + first
                + "&to=" + second, auditor).json();
        byte[] firstRoot = b64.decode(consistency.path("fromRoot").asString());
        assertThat(MerkleTree.verifyConsistency(first, second, firstRoot, secondRoot, decode(consistency.path("proof"))))
                .isTrue();
        assertThat(api.get("/api/v1/tenants/" + tenant.id() + "/audit/proofs/inclusion?seq=2&treeSize=100000",
                auditor).status()).isEqualTo(400);
    }

    @Test
    void theListFiltersByActionOutcomeAndTime() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("filtered");
        api.get("/api/v1/tenants/" + tenant.id() + "/members", fx.token(tenant.member("viewer")));
        String auditor = fx.token(tenant.member("auditor"));
        JsonNode denied = api.get("/api/v1/tenants/" + tenant.id() + "/audit?outcome=denied&action=access.denied",
                auditor).json().path("items");
        assertThat(denied.size()).isEqualTo(1);
        assertThat(denied.get(0).path("outcome").asString()).isEqualTo("denied");
        assertThat(api.get("/api/v1/tenants/" + tenant.id() + "/audit?from=2999-01-01T00:00:00Z", auditor).json()
                .path("items").size()).isZero();
        assertThat(api.get("/api/v1/tenants/" + tenant.id() + "/audit?outcome=maybe", auditor).status()).isEqualTo(400);
    }

    @Test
    void anotherTenantsAuditorGets404ForEveryAuditEndpoint() {
        Fixtures.RoleTenant tenant = fx.tenantWithAllRoles("privateaudit");
        Fixtures.RoleTenant other = fx.tenantWithAllRoles("otheraudit");
        String foreign = fx.token(other.member("auditor"));
        for (String path : List.of("/audit", "/audit/verification", "/audit/export",
                "/audit/proofs/inclusion?seq=1&treeSize=1", "/audit/proofs/consistency?from=1&to=2")) {
            assertThat(api.get("/api/v1/tenants/" + tenant.id() + path, foreign).status()).as(path).isEqualTo(404);
        }
        assertThat(api.get("/api/v1/tenants/" + tenant.id() + "/audit/verification",
                fx.token(tenant.member("viewer"))).status()).isEqualTo(403);
    }

    private static List<byte[]> decode(JsonNode array) {
        List<byte[]> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(Base64.getDecoder().decode(n.asString().getBytes(StandardCharsets.US_ASCII))));
        return out;
    }

    private long head(TenantId tenant) {
        return transactions.inTenant(tenant, () -> jdbc.sql("select coalesce(max(seq), 0) from audit_events where tenant_id = ?")
                .param(tenant.value()).query(Long.class).single());
    }

    private long latestCheckpoint(TenantId tenant) {
        return transactions.inTenant(tenant, () -> jdbc.sql(
                        "select coalesce(max(tree_size), 0) from audit_checkpoints where tenant_id = ?")
                .param(tenant.value()).query(Long.class).single());
    }
}
