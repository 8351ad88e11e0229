package dev.citadel.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.auditverifier.AuditKeys;
import dev.citadel.auditverifier.SignedDocument;
import dev.citadel.platform.TenantId;
import dev.citadel.storage.BlobStore;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Erasure end to end over HTTPS: a data subject removed from every version of every dataset (new
 * versions without their rows, the old versions and their encrypted content gone, the model trained
 * on them flagged), a whole dataset erased, each with a deletion certificate that verifies offline
 * with the platform's published audit key — and a certificate changed by one byte that does not.
 * The subject's identifier is never stored: the trail and the certificate hold only its token.
 */
class ErasureTest extends IntegrationTest {

    private static final String SUBJECT = "jane.roe@example.org";
    private static final String FORMAT = "citadel-erasure-certificate/v1";

    @Autowired
    BlobStore blobStore;

    private String tenant;
    private Fixtures.User steward;
    private Fixtures.User scientist;

    @BeforeEach
    void tenant() {
        tenant = fx.createTenant("erasure");
        steward = fx.member(tenant, "data-steward");
        scientist = fx.member(tenant, "data-scientist");
    }

    private String base() {
        return "/api/v1/tenants/" + tenant;
    }

    /** Visits with an e-mail column (tokenized on upload); the subject appears {@code subjectRows} times. */
    private static String visits(int rows, int subjectRows, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("email,age,glucose,readmitted\n");
        for (int i = 0; i < rows; i++) {
            String email = i < subjectRows ? SUBJECT : "patient" + seed + "-" + i + "@example.org";
            int age = 20 + random.nextInt(70);
            double glucose = 70 + random.nextInt(120);
            csv.append(email).append(',').append(age).append(',').append(glucose).append(',')
                    .append(age > 55 || glucose > 150 ? "yes" : "no").append('\n');
        }
        return csv.toString();
    }

    private void upload(String dataset, String csv) {
        Api.Response uploaded = api.postRaw(base() + "/datasets/" + dataset + "/versions", fx.token(scientist), "text/csv",
                csv);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        assertThat(uploaded.json().path("findings").toString()).contains("email").contains("tokenize");
    }

    private JsonNode await(String path, Fixtures.User user) {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String state = api.get(path, fx.token(user)).json().path("state").asString();
            return state.equals("succeeded") || state.equals("failed");
        });
        JsonNode job = api.get(path, fx.token(user)).json();
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("succeeded");
        return job;
    }

    private Map<String, PublicKey> publishedKeys() throws Exception {
        Map<String, PublicKey> keys = new HashMap<>();
        for (JsonNode key : api.get("/api/v1/audit/signing-keys", null).json().path("keys")) {
            byte[] spki = AuditKeys.fromPem(key.path("publicKey").asString());
            keys.put(AuditKeys.keyId(spki), AuditKeys.parse(spki));
        }
        return keys;
    }

    private List<String> datasetBlobs() throws Exception {
        return blobStore.list("tenants/" + tenant + "/dataset/");
    }

    @Test
    void aDataSubjectIsErasedFromEveryVersionAndTheCertificateVerifiesOffline() throws Exception {
        upload("visits", visits(80, 2, 1));
        upload("visits", visits(90, 1, 2));
        upload("followups", visits(60, 0, 3));
        Api.Response job = api.post(base() + "/training-jobs", fx.token(scientist), Map.of("model", "risk", "dataset", "visits",
                "version", 1, "task", "classification", "algorithm", "logistic-regression", "target", "readmitted",
                "features", List.of("age", "glucose")));
        await(base() + "/training-jobs/" + job.json().path("id").asString(), scientist);
        assertThat(datasetBlobs()).hasSize(3);

        Api.Response requested = api.post(base() + "/erasure-requests", fx.token(steward),
                Map.of("scope", "subject", "identifier", SUBJECT));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
        assertThat(requested.body()).doesNotContain(SUBJECT);
        String id = requested.json().path("id").asString();
        JsonNode done = await(base() + "/erasure-requests/" + id, steward);
        assertThat(done.path("result").path("removedRows").asString()).isEqualTo("3");
        assertThat(done.path("certificate").asBoolean()).isTrue();

        // the old versions are gone, API and content; new versions hold everyone but the subject
        assertThat(api.get(base() + "/datasets/visits/versions/1", fx.token(steward)).status()).isEqualTo(404);
        assertThat(api.get(base() + "/datasets/visits/versions/2/content", fx.token(steward)).status()).isEqualTo(404);
        JsonNode versions = api.get(base() + "/datasets/visits/versions", fx.token(steward)).json();
        assertThat(versions.size()).isEqualTo(2);
        assertThat(versions.get(0).path("version").asInt()).isEqualTo(3);
        assertThat(versions.get(0).path("rows").asLong()).isEqualTo(78);
        assertThat(versions.get(1).path("rows").asLong()).isEqualTo(89);
        String token = api.post(base() + "/erasure-requests", fx.token(steward), Map.of("scope", "subject",
                "identifier", SUBJECT, "datasets", List.of("followups"))).json().path("id").asString();
        await(base() + "/erasure-requests/" + token, steward);
        assertThat(api.get(base() + "/datasets/followups/versions/1", fx.token(steward)).status())
                .as("a version without the subject is left as it is").isEqualTo(200);
        String visitsId = datasetId("visits");
        assertThat(datasetBlobs().stream().filter(key -> key.contains(visitsId)).toList())
                .as("the old versions' encrypted content is deleted; the replacements are stored")
                .containsExactly("tenants/" + tenant + "/dataset/" + visitsId + "/v3",
                        "tenants/" + tenant + "/dataset/" + visitsId + "/v4");
        assertThat(datasetBlobs()).hasSize(3);

        JsonNode model = api.get(base() + "/models/risk/versions/1", fx.token(scientist)).json();
        assertThat(model.path("retrainRequired").asString()).contains("erased subject");

        // the certificate, verified offline with the published key
        String certificate = api.get(base() + "/erasure-requests/" + id + "/certificate", fx.token(steward)).body();
        SignedDocument.Verification verified = SignedDocument.verify(certificate, FORMAT, publishedKeys());
        assertThat(verified.valid()).as(verified.problem()).isTrue();
        JsonNode document = verified.document();
        assertThat(document.path("tenant").asString()).isEqualTo(tenant);
        assertThat(document.path("scope").asString()).isEqualTo("subject");
        assertThat(document.path("erasedObjects").size()).isEqualTo(2);
        assertThat(document.path("erasedObjects").get(0).path("sha256").asString()).hasSize(64);
        assertThat(document.path("modelsNeedingRetraining").toString()).contains("risk/v1");
        assertThat(document.path("removedRows").asLong()).isEqualTo(3);
        String subjectToken = document.path("subjectToken").asString();
        assertThat(subjectToken).isNotBlank().doesNotContain("jane");
        assertThat(certificate).doesNotContain(SUBJECT);

        String forged = certificate.replace("\\\"removedRows\\\":3", "\\\"removedRows\\\":0");
        assertThat(forged).isNotEqualTo(certificate);
        assertThat(SignedDocument.verify(forged, FORMAT, publishedKeys()).valid()).as("a changed certificate fails").isFalse();
        assertThat(SignedDocument.verify(certificate, FORMAT, Map.of()).valid()).as("an untrusted key fails").isFalse();

        // the trail knows the token, never the identifier
        List<Map<String, Object>> trail = audit.latest(new TenantId(tenant), 200);
        assertThat(trail).extracting(e -> e.get("action")).contains("erasure.request", "dataset.version.erase",
                "model.version.retrain_required", "erasure.complete");
        assertThat(trail.toString()).doesNotContain(SUBJECT).contains(subjectToken);
    }

    private String datasetId(String name) {
        return transactions.inTenant(new TenantId(tenant), () -> jdbc.sql(
                "select id from datasets where tenant_id = ? and name = ?").param(tenant).param(name)
                .query(java.util.UUID.class).single().toString());
    }

    @Test
    void aDatasetErasureRemovesEveryVersionAndIssuesACertificate() throws Exception {
        upload("visits", visits(40, 0, 4));
        upload("visits", visits(40, 0, 5));
        Api.Response requested = api.post(base() + "/erasure-requests", fx.token(steward),
                Map.of("scope", "dataset", "dataset", "visits"));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(202);
        String id = requested.json().path("id").asString();
        await(base() + "/erasure-requests/" + id, steward);
        assertThat(api.get(base() + "/datasets/visits", fx.token(steward)).code()).isEqualTo("dataset.not_found");
        assertThat(datasetBlobs()).isEmpty();
        String certificate = api.get(base() + "/erasure-requests/" + id + "/certificate", fx.token(steward)).body();
        SignedDocument.Verification verified = SignedDocument.verify(certificate, FORMAT, publishedKeys());
        assertThat(verified.valid()).as(verified.problem()).isTrue();
        assertThat(verified.document().path("erasedObjects").size()).isEqualTo(2);
        assertThat(verified.document().path("dataset").asString()).isEqualTo("visits");
        assertThat(api.get(base() + "/erasure-requests", fx.token(steward)).json().get(0).path("id").asString())
                .isEqualTo(id);
    }

    @Test
    void badRequestsAreRefusedAndAnotherTenantGets404() {
        upload("visits", visits(40, 1, 6));
        String erasures = base() + "/erasure-requests";
        assertThat(api.post(erasures, fx.token(steward), Map.of("scope", "everything")).code()).isEqualTo("erasure.invalid");
        assertThat(api.post(erasures, fx.token(steward), Map.of("scope", "subject")).code()).isEqualTo("erasure.invalid");
        assertThat(api.post(erasures, fx.token(steward), Map.of("scope", "subject", "identifier", "x".repeat(300)))
                .code()).isEqualTo("erasure.invalid");
        assertThat(api.post(erasures, fx.token(steward), Map.of("scope", "dataset", "dataset", "nope")).code())
                .isEqualTo("dataset.not_found");
        assertThat(api.post(erasures, fx.token(scientist), Map.of("scope", "dataset", "dataset", "visits")).status())
                .as("scientists cannot erase").isEqualTo(403);
        assertThat(api.get(base() + "/datasets/visits/versions/1", fx.token(steward)).status())
                .as("nothing refused was erased").isEqualTo(200);

        String id = api.post(erasures, fx.token(steward), Map.of("scope", "subject", "identifier", SUBJECT))
                .json().path("id").asString();
        String other = fx.createTenant("erasure-other");
        String outsider = fx.token(fx.member(other, "tenant-admin"));
        assertThat(api.post(erasures, outsider, Map.of("scope", "dataset", "dataset", "visits")).status()).isEqualTo(404);
        assertThat(api.get(erasures + "/" + id, outsider).status()).isEqualTo(404);
        assertThat(api.get(erasures + "/" + id + "/certificate", outsider).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/tenants/" + other + "/erasure-requests/" + id, outsider).code())
                .as("requests are per tenant").isEqualTo("erasure.not_found");
        await(erasures + "/" + id, steward);
    }
}
