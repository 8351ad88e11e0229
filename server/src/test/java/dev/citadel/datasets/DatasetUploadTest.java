package dev.citadel.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.PlaintextScan;
import tools.jackson.databind.JsonNode;

/**
 * Seed 002 end to end: a researcher uploads a CSV of patient records; the answer shows what was
 * found and how it was protected; the stored and downloaded content holds no original identifier;
 * roles decide who sees content, metadata or nothing; another tenant sees nothing at all.
 */
class DatasetUploadTest extends IntegrationTest {

    private String tenant;
    private Fixtures.User scientist;
    private Fixtures.User steward;

    @BeforeEach
    void hospital() {
        tenant = fx.createTenant("hospital");
        scientist = fx.member(tenant, "data-scientist");
        steward = fx.member(tenant, "data-steward");
    }

    @Test
    void aPatientCsvIsProtectedBeforeItIsStored() throws Exception {
        Api.Response response = upload("patients", PatientData.csv(300), fx.token(scientist));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode version = response.json();
        assertThat(version.path("version").asInt()).isEqualTo(1);
        assertThat(version.path("rows").asLong()).isEqualTo(300);
        assertThat(version.path("columns").asInt()).isEqualTo(10);
        assertThat(response.header("Location")).endsWith("/datasets/patients/versions/1");

        Map<String, String> kinds = new java.util.TreeMap<>();
        Map<String, String> actions = new java.util.TreeMap<>();
        version.path("findings").forEach(f -> {
            kinds.put(f.path("column").asString(), f.path("kind").asString());
            actions.put(f.path("column").asString(), f.path("action").asString());
        });
        assertThat(kinds).containsEntry("full_name", "person-name").containsEntry("ssn", "us-ssn")
                .containsEntry("email", "email").containsEntry("credit_card", "payment-card")
                .containsEntry("date_of_birth", "date-of-birth").containsEntry("notes", "free-text-pii")
                .doesNotContainKeys("age", "diagnosis", "patient_id", "readmitted");
        assertThat(actions).containsEntry("ssn", "tokenize").containsEntry("credit_card", "tokenize")
                .containsEntry("notes", "mask");

        Map<String, JsonNode> schema = new java.util.TreeMap<>();
        version.path("schema").forEach(c -> schema.put(c.path("name").asString(), c));
        assertThat(schema.get("age").path("type").asString()).isEqualTo("integer");
        assertThat(schema.get("age").path("min").asDouble()).isEqualTo(20);
        assertThat(schema.get("diagnosis").path("type").asString()).isEqualTo("categorical");
        assertThat(schema.get("diagnosis").path("topValues").size()).isEqualTo(4);
        assertThat(schema.get("readmitted").path("type").asString()).isEqualTo("boolean");
        assertThat(schema.get("ssn").has("topValues")).as("no values of sensitive columns in metadata").isFalse();

        Api.Response content = api.get("/api/v1/tenants/" + tenant + "/datasets/patients/versions/1/content",
                fx.token(scientist));
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.header("Content-Type")).startsWith("text/csv");
        for (String identifier : PatientData.identifiers()) {
            assertThat(content.body()).doesNotContain(identifier);
            assertThat(PlaintextScan.filesContaining(DATA_DIR, identifier.getBytes(StandardCharsets.UTF_8))).isEmpty();
        }
        assertThat(content.body()).contains("tok_").contains("[EMAIL]").contains("diabetes");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.body().getBytes(StandardCharsets.UTF_8))))
                .as("the download is the stored content").isEqualTo(version.path("sha256").asString());
        assertThat(audit.latest(new dev.citadel.platform.TenantId(tenant), 3))
                .extracting(e -> e.get("action")).contains("dataset.content.read");
    }

    @Test
    void tokensAreDeterministicAndOnlyAStewardCanReverseThem() {
        upload("patients", PatientData.csv(20), fx.token(scientist));
        String content = api.get("/api/v1/tenants/" + tenant + "/datasets/patients/versions/1/content",
                fx.token(scientist)).body();
        String[] lines = content.split("\r?\n");
        String first = lines[1].split(",")[2];
        String sixth = lines[6].split(",")[2];
        assertThat(first).startsWith("tok_").isEqualTo(sixth);

        Api.Response denied = api.post("/api/v1/tenants/" + tenant + "/detokenization", fx.token(scientist),
                Api.json("tokens", List.of(first)));
        assertThat(denied.status()).isEqualTo(403);
        Api.Response revealed = api.post("/api/v1/tenants/" + tenant + "/detokenization", fx.token(steward),
                Api.json("tokens", List.of(first)));
        assertThat(revealed.status()).as(revealed.toString()).isEqualTo(200);
        assertThat(revealed.json().path("values").path(first).asString()).isEqualTo(PatientData.SSNS.getFirst());
        Api.Response forged = api.post("/api/v1/tenants/" + tenant + "/detokenization", fx.token(steward),
                Api.json("tokens", List.of(first.substring(0, first.length() - 2) + "AA")));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.code()).isEqualTo("privacy.token_invalid");
    }

    @Test
    void aStewardsPolicyAppliesToTheFollowingVersionsAndKeepIsAudited() {
        Api.Response policy = api.put("/api/v1/tenants/" + tenant + "/datasets/patients/privacy", fx.token(steward),
                Api.json("columns", Map.of("ssn", "drop", "email", "mask", "age", "generalize", "full_name", "keep")));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
        assertThat(api.put("/api/v1/tenants/" + tenant + "/datasets/patients/privacy", fx.token(scientist),
                Api.json("columns", Map.of("ssn", "keep"))).status()).as("only stewards set policy").isEqualTo(403);

        Api.Response version = upload("patients", PatientData.csv(50), fx.token(scientist));
        assertThat(version.status()).as(version.toString()).isEqualTo(201);
        assertThat(version.json().path("keptSensitive").get(0).asString()).isEqualTo("full_name");
        String content = api.get("/api/v1/tenants/" + tenant + "/datasets/patients/versions/1/content",
                fx.token(steward)).body();
        String header = content.lines().findFirst().orElseThrow();
        assertThat(header).doesNotContain("ssn").contains("email");
        assertThat(content).contains("Jane Roe").contains("j***@example.org").contains("20-29");
        assertThat(audit.latest(new dev.citadel.platform.TenantId(tenant), 10)).extracting(e -> e.get("action"))
                .contains("privacy.keep", "privacy.policy.set");
        Api.Response rejected = api.put("/api/v1/tenants/" + tenant + "/datasets/patients/privacy", fx.token(steward),
                Api.json("columns", Map.of("ssn", "reject")));
        assertThat(rejected.status()).isEqualTo(200);
        Api.Response refused = upload("patients", PatientData.csv(10), fx.token(scientist));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("dataset.sensitive_column_rejected");
        assertThat(api.get("/api/v1/tenants/" + tenant + "/datasets/patients/versions", fx.token(steward)).json().size())
                .as("nothing stored").isEqualTo(1);
    }

    @Test
    void rolesDecideContentMetadataOrNothing() {
        upload("patients", PatientData.csv(10), fx.token(scientist));
        String path = "/api/v1/tenants/" + tenant + "/datasets/patients/versions/1";
        String viewer = fx.token(fx.member(tenant, "viewer"));
        String predictor = fx.token(fx.member(tenant, "predictor"));
        assertThat(api.get(path, viewer).status()).isEqualTo(200);
        assertThat(api.get(path + "/content", viewer).status()).isEqualTo(403);
        assertThat(api.get(path, predictor).status()).isEqualTo(403);
        assertThat(api.get(path + "/content", predictor).status()).isEqualTo(403);
        String outsider = fx.token(fx.member(fx.createTenant("elsewhere"), "data-scientist"));
        assertThat(api.get(path, outsider).status()).isEqualTo(404);
        assertThat(api.get(path + "/content", outsider).status()).isEqualTo(404);
        assertThat(api.postRaw("/api/v1/tenants/" + tenant + "/datasets/patients/versions", outsider, "text/csv",
                PatientData.csv(2)).status()).isEqualTo(404);
    }

    @Test
    void gzipUploadsWorkAndCsvInjectionIsNeutralisedOnExport() throws Exception {
        String csv = "id,formula,amount,comment\n1,=HYPERLINK(\"http://evil\"),-3.5,+1\n2,@SUM(A1),+2.25,-minus\n"
                + "3,\"\ttabbed\",1e3,ok\n";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(csv.getBytes(StandardCharsets.UTF_8));
        }
        Api.Response response = api.send(api.request("/api/v1/tenants/" + tenant + "/datasets/inject/versions",
                fx.token(scientist)).header("Content-Type", "text/csv").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String exported = api.get("/api/v1/tenants/" + tenant + "/datasets/inject/versions/1/content",
                fx.token(scientist)).body();
        assertThat(exported).contains("'=HYPERLINK").contains("'@SUM(A1)").contains(",-3.5,").contains(",+2.25,")
                .contains("'-minus").contains(",1e3,").contains("'\ttabbed").contains(",+1");
    }

    @Test
    void expectationsProduceAReportAndCanRejectAVersion() {
        Api.Response defined = api.put("/api/v1/tenants/" + tenant + "/datasets/checked", fx.token(scientist), Api.json(
                "description", "checked", "expectations", Api.json(
                        "columns", List.of(
                                Api.json("column", "age", "type", "integer", "min", 0, "max", 120, "notNull", true),
                                Api.json("column", "patient_id", "unique", true),
                                Api.json("column", "diagnosis", "allowedValues", List.of("diabetes", "asthma")),
                                Api.json("column", "missing_column")),
                        "rowCount", Api.json("min", 1, "max", 1000))));
        assertThat(defined.status()).as(defined.toString()).isEqualTo(200);
        Api.Response report = upload("checked", PatientData.csv(40), fx.token(scientist));
        assertThat(report.status()).isEqualTo(201);
        JsonNode validation = report.json().path("validation");
        assertThat(validation.path("passed").asBoolean()).isFalse();
        Map<String, JsonNode> results = new java.util.HashMap<>();
        validation.path("results").forEach(r -> results.put(r.path("column").asString("") + "/" + r.path("check").asString(), r));
        assertThat(results.get("age/range 0.0..120.0").path("passed").asBoolean()).isTrue();
        assertThat(results.get("patient_id/unique").path("passed").asBoolean()).isTrue();
        assertThat(results.get("diagnosis/allowed values").path("failures").asLong()).isEqualTo(20);
        assertThat(results.get("diagnosis/allowed values").path("exampleLines").size()).isEqualTo(5);
        assertThat(results.get("missing_column/present").path("passed").asBoolean()).isFalse();
        assertThat(validation.toString()).as("reports name lines, never values").doesNotContain("hypertension");

        api.put("/api/v1/tenants/" + tenant + "/datasets/checked", fx.token(scientist), Api.json("expectations",
                Api.json("columns", List.of(Api.json("column", "age", "max", 30)), "rejectOnFailure", true)));
        Api.Response refused = upload("checked", PatientData.csv(40), fx.token(scientist));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("dataset.validation_failed");
        assertThat(api.get("/api/v1/tenants/" + tenant + "/datasets/checked/versions", fx.token(scientist)).json().size())
                .isEqualTo(1);
        Api.Response badRegex = api.put("/api/v1/tenants/" + tenant + "/datasets/checked", fx.token(scientist),
                Api.json("expectations", Api.json("columns", List.of(Api.json("column", "age", "regex", "([a-z")))));
        assertThat(badRegex.status()).isEqualTo(400);
        assertThat(badRegex.code()).isEqualTo("dataset.policy_invalid");
    }

    @Test
    void identifiersAppearingAfterTheDecisionWindowAreRedactedValueByValue() {
        StringBuilder csv = new StringBuilder("id,comment\n");
        for (int i = 0; i < 1500; i++) {
            csv.append(i).append(',').append(i == 1400 ? "123-45-6789" : "fine").append('\n');
        }
        Api.Response response = upload("late", csv.toString(), fx.token(scientist));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode finding = response.json().path("findings").get(0);
        assertThat(finding.path("column").asString()).isEqualTo("comment");
        assertThat(finding.path("action").asString()).isEqualTo("redact-values");
        assertThat(finding.path("redactedValues").asLong()).isEqualTo(1);
        String content = api.get("/api/v1/tenants/" + tenant + "/datasets/late/versions/1/content", fx.token(scientist)).body();
        assertThat(content).doesNotContain("123-45-6789").contains("[REDACTED:us-ssn]");
    }

    private Api.Response upload(String dataset, String csv, String token) {
        return api.postRaw("/api/v1/tenants/" + tenant + "/datasets/" + dataset + "/versions", token, "text/csv", csv);
    }
}
