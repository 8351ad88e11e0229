package dev.citadel.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.registry.scan.MaliciousModels;
import dev.citadel.registry.scan.ScanLimits;
import dev.citadel.registry.scan.ValidModels;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Importing externally trained models over HTTPS: a clean ONNX model is signed and registered as a
 * candidate with its origin; every file of the hostile corpus is refused with its rule and leaves
 * nothing behind; the uploader cannot approve their own import; roles and tenants are enforced.
 */
class ModelImportTest extends IntegrationTest {

    private static final String SCHEMA = """
            {"features": [{"name": "age", "type": "decimal"}, {"name": "glucose", "type": "decimal"},
                          {"name": "bmi", "type": "decimal"}],
             "target": {"name": "risk", "type": "decimal"}}""";

    private String tenant;
    private Fixtures.User scientist;
    private Fixtures.User engineer;

    @BeforeEach
    void tenant() {
        tenant = fx.createTenant("imports");
        scientist = fx.member(tenant, "data-scientist");
        engineer = fx.member(tenant, "ml-engineer");
    }

    @Test
    void aCleanOnnxModelIsSignedAndRegisteredWithItsOrigin() {
        Api.Response response = importModel("external-risk", ValidModels.logisticRegression(), SCHEMA, fx.token(scientist));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.header("Location")).endsWith("/models/external-risk/versions/1");
        JsonNode version = api.get(base() + "/models/external-risk/versions/1", fx.token(scientist)).json();
        assertThat(version.path("origin").asString()).isEqualTo("imported");
        assertThat(version.path("format").asString()).isEqualTo("onnx");
        assertThat(version.path("stage").asString()).isEqualTo("candidate");
        assertThat(version.path("signature").path("verified").asBoolean()).isTrue();
        assertThat(version.path("inputSchema").path("vector").toString()).contains("age", "glucose", "bmi");
        assertThat(version.path("lineage").path("origin").path("uploadedBy").asString())
                .isEqualTo(version.path("createdBy").asString());
        assertThat(version.path("lineage").path("origin").path("filename").asString()).isEqualTo("model.onnx");
        assertThat(version.path("lineage").path("libraries").path("onnxruntime").asString()).startsWith("1.28");
        assertThat(version.path("artifact").path("sha256").asString())
                .isEqualTo(java.util.HexFormat.of().formatHex(sha256(ValidModels.logisticRegression())));

        Api.Response own = api.post(base() + "/models/external-risk/versions/1/approval", fx.token(scientist),
                Map.of("reason", "mine"));
        assertThat(own.status()).isEqualTo(403);
        Api.Response selfApproval = api.post(base() + "/models/external-risk/versions/1/approval", fx.token(engineer),
                Map.of("reason", "reviewed the exporter and the validation report"));
        assertThat(selfApproval.status()).as(selfApproval.toString()).isEqualTo(200);

        Api.Response fieldSchema = importModel("field-schema", ValidModels.logisticRegression(), SCHEMA, fx.token(scientist),
                false);
        assertThat(fieldSchema.status()).as(fieldSchema.toString()).isEqualTo(201);
        assertThat(fieldSchema.json().path("inputSchema").path("features").toString())
                .as("a schema sent as a plain form field (curl -F 'schema={...}') is applied").contains("glucose");

        Api.Response noSchema = importModel("external-risk", ValidModels.linearClassifier(), null, fx.token(scientist));
        assertThat(noSchema.status()).as(noSchema.toString()).isEqualTo(201);
        assertThat(noSchema.json().path("version").asInt()).isEqualTo(2);
        assertThat(noSchema.json().path("inputSchema").path("features").size()).isPositive();
    }

    @Test
    void everyFileOfTheHostileCorpusIsRefusedWithItsRuleAndLeavesNothing() {
        String token = fx.token(scientist);
        long blobsBefore = blobCount();
        for (MaliciousModels.Sample sample : MaliciousModels.all(ScanLimits.DEFAULTS)) {
            Api.Response response = importModel("hostile", sample.bytes(), null, token);
            assertThat(response.status()).as(sample.toString()).isEqualTo(sample.code().status().value());
            assertThat(response.code()).as(sample.toString()).isEqualTo(sample.code().code());
            assertThat(response.json().path("errors").toString()).as(sample.toString()).contains(sample.rule());
        }
        assertThat(api.get(base() + "/models/hostile", token).status()).isEqualTo(404);
        assertThat(blobCount()).isEqualTo(blobsBefore);
        List<Map<String, Object>> events = audit.latest(new TenantId(tenant), 200);
        assertThat(events.stream().filter(e -> "model.import".equals(e.get("action"))).count())
                .isEqualTo(MaliciousModels.all(ScanLimits.DEFAULTS).size());
    }

    @Test
    void aSchemaThatDoesNotFitTheGraphIsRefused() {
        Api.Response twoFeatures = importModel("misfit", ValidModels.logisticRegression(),
                "{\"features\": [{\"name\": \"a\", \"type\": \"decimal\"}, {\"name\": \"b\", \"type\": \"decimal\"}]}",
                fx.token(scientist));
        assertThat(twoFeatures.status()).isEqualTo(400);
        assertThat(twoFeatures.code()).isEqualTo("model.invalid_schema");
        assertThat(twoFeatures.body()).contains("3 columns");
        Api.Response badType = importModel("misfit", ValidModels.logisticRegression(),
                "{\"features\": [{\"name\": \"a\", \"type\": \"pickle\"}, {\"name\": \"b\", \"type\": \"decimal\"},"
                        + " {\"name\": \"c\", \"type\": \"decimal\"}]}", fx.token(scientist));
        assertThat(badType.code()).isEqualTo("model.invalid_schema");
        Api.Response notJson = importModel("misfit", ValidModels.logisticRegression(), "{not json", fx.token(scientist));
        assertThat(notJson.code()).isEqualTo("model.invalid_schema");
        Api.Response badName = importModel("Bad Name", ValidModels.logisticRegression(), null, fx.token(scientist));
        assertThat(badName.status()).isIn(400, 404);
        assertThat(api.get(base() + "/models/misfit", fx.token(scientist)).status()).isEqualTo(404);
    }

    @Test
    void onlyImportersOfThisTenantMayImport() {
        Fixtures.User viewer = fx.member(tenant, "viewer");
        assertThat(importModel("m", ValidModels.logisticRegression(), null, fx.token(viewer)).status()).isEqualTo(403);
        String other = fx.createTenant("imports-other");
        Fixtures.User outsider = fx.member(other, "data-scientist", "ml-engineer");
        assertThat(importModel("m", ValidModels.logisticRegression(), null, fx.token(outsider)).status()).isEqualTo(404);
        assertThat(importModel("m", ValidModels.logisticRegression(), null, null).status()).isEqualTo(401);
    }

    private Api.Response importModel(String name, byte[] onnx, String schema, String token) {
        return importModel(name, onnx, schema, token, true);
    }

    private Api.Response importModel(String name, byte[] onnx, String schema, String token, boolean schemaAsFile) {
        String boundary = "citadel-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "model", "model.onnx", "application/octet-stream", onnx);
        if (schema != null) {
            part(body, boundary, "schema", schemaAsFile ? "schema.json" : null, "application/json",
                    schema.getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest.Builder request = api.request(base() + "/models/" + name.replace(" ", "%20") + "/versions", token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        return api.send(request);
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String filename, String type,
            byte[] content) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\nContent-Type: " + type + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private long blobCount() {
        return transactions.inTenant(new TenantId(tenant), () -> jdbc.sql("select count(*) from blob_objects where tenant_id = ?")
                .param(tenant).query(Long.class).single());
    }

    private String base() {
        return "/api/v1/tenants/" + tenant;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
