package dev.citadel.monitoring.bias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.OfflineTraining;
import tools.jackson.databind.JsonNode;

/**
 * Bias reports end to end over HTTPS, on real models trained in the test: a model whose approvals
 * follow a protected attribute through a proxy is flagged and alerted, one whose approvals do not is
 * not; the figures equal an independent computation from the same model's predictions, asked of a
 * deployment, on the held-out rows the test derives itself; small groups show their count only;
 * unusable attributes and regression models are refused with their codes; roles and tenants are
 * kept apart.
 */
class BiasReportTest extends IntegrationTest {

    private static final double TEST_FRACTION = 0.2;
    private static final long SEED = 42;
    private static final List<String> FEATURES = List.of("income", "years_employed", "region");

    /** One tenant with trained models, built once for the class (training is the slow part). */
    private record World(String tenant, Fixtures.RoleTenant roles, Fixtures.User scientist, Fixtures.User engineer,
            LoanApplications biased, LoanApplications fair) {}

    private static World world;

    private World w;

    @BeforeEach
    void world() {
        if (world == null) {
            world = build();
        }
        w = world;
    }

    @Test
    void aModelWhoseApprovalsFollowAProtectedAttributeIsFlaggedAlertedAndMatchesAnIndependentComputation() {
        JsonNode report = completed(request(w.scientist(), "lender", Map.of("attribute", "sex", "privilegedGroup", "M")));

        assertThat(report.path("evaluation").path("rows").asString()).isEqualTo("held-out");
        assertThat(report.path("evaluation").path("dataset").asString()).isEqualTo("loans");
        assertThat(report.path("evaluation").path("seed").asLong()).isEqualTo(SEED);
        assertThat(report.path("positiveLabel").asString()).isEqualTo("true");
        assertThat(report.path("rows").path("evaluated").asLong() + report.path("rows").path("withoutAttribute").asLong())
                .as("every held-out row").isEqualTo(500);

        Map<String, Expected> expected = independently(w.biased(), "lender");
        assertMatches(report, expected);
        JsonNode summary = report.path("summary");
        double female = expected.get("F").selectionRate();
        double male = expected.get("M").selectionRate();
        assertThat(summary.path("disparateImpactRatio").asDouble()).isCloseTo(Math.min(female, male) / Math.max(female, male),
                within(1e-9)).isLessThan(0.5);
        assertThat(summary.path("disparateImpactVsPrivileged").asDouble()).isCloseTo(female / male, within(1e-9));
        assertThat(summary.path("demographicParityDifference").asDouble()).isCloseTo(Math.abs(male - female), within(1e-9));
        assertThat(summary.path("equalOpportunityDifference").asDouble()).isCloseTo(
                Math.abs(expected.get("M").truePositiveRate() - expected.get("F").truePositiveRate()), within(1e-9));
        assertThat(summary.path("groupsCompared").asInt()).isEqualTo(2);
        assertThat(summary.path("flagged").asBoolean()).isTrue();
        assertThat(report.path("flagged").asBoolean()).isTrue();
        assertThat(report.path("findings").toString()).contains("disparate-impact-below-threshold",
                "parity-difference-above-threshold");

        JsonNode small = group(report, "X");
        assertThat(small.path("n").asLong()).isEqualTo(expected.get("X").n()).isPositive().isLessThan(30);
        assertThat(small.path("tooSmall").asBoolean()).isTrue();
        assertThat(small.path("selectionRate").isNull()).as("a small group's rates are withheld").isTrue();
        assertThat(small.path("accuracy").isNull()).isTrue();

        List<JsonNode> alerts = alertsFor(report.path("id").asString());
        assertThat(alerts).hasSize(1);
        JsonNode details = alerts.getFirst();
        assertThat(details.path("type").asString()).isEqualTo("bias");
        assertThat(details.path("model").asString()).isEqualTo("lender");
        assertThat(details.path("attribute").asString()).isEqualTo("sex");
        assertThat(details.path("disparateImpactRatio").asString()).startsWith("0.");
        List<String> values = new ArrayList<>();
        details.forEach(v -> values.add(v.asString()));
        assertThat(values).as("no group value in the alert").doesNotContain("F", "M", "X");

        List<String> actions = auditActions(report.path("id").asString());
        assertThat(actions).contains("monitoring.bias_report", "monitoring.bias_report.complete");
    }

    @Test
    void aModelWhoseApprovalsDoNotFollowTheAttributeIsNotFlagged() {
        JsonNode report = completed(request(w.scientist(), "fair-lender", Map.of("attribute", "sex")));
        Map<String, Expected> expected = independently(w.fair(), "fair-lender");
        assertMatches(report, expected);
        JsonNode summary = report.path("summary");
        assertThat(summary.path("disparateImpactRatio").asDouble()).isBetween(0.8, 1.0);
        assertThat(summary.path("demographicParityDifference").asDouble()).isLessThan(0.1);
        assertThat(summary.path("flagged").asBoolean()).isFalse();
        assertThat(summary.path("disparateImpactVsPrivileged").isNull()).isTrue();
        assertThat(report.path("findings").size()).isZero();
        assertThat(alertsFor(report.path("id").asString())).as("no alert for a fair model").isEmpty();
    }

    @Test
    void anotherDatasetVersionIsEvaluatedOnAllItsRows() {
        JsonNode report = completed(request(w.engineer(), "lender", Map.of("attribute", "sex",
                "dataset", Map.of("name", "fair-loans", "version", 1))));
        assertThat(report.path("evaluation").path("rows").asString()).isEqualTo("all");
        assertThat(report.path("evaluation").path("seed").isNull()).isTrue();
        long counted = 0;
        for (JsonNode group : report.path("groups")) {
            counted += group.path("n").asLong();
        }
        assertThat(counted).isEqualTo(2500).isEqualTo(report.path("rows").path("evaluated").asLong());
        assertThat(group(report, "X").path("tooSmall").asBoolean()).as("100 rows of X are enough").isFalse();
    }

    @Test
    void unusableAttributesRegressionModelsAndBadLabelsAreRefusedWithTheirCodes() {
        expect(request(w.scientist(), "lender", Map.of("attribute", "ethnicity")), "monitoring.bias_attribute_unknown");
        Api.Response tokens = request(w.scientist(), "lender", Map.of("attribute", "email"));
        expect(tokens, "monitoring.bias_attribute_protected");
        assertThat(tokens.json().path("detail").asString()).contains("email", "tokenize", "not a group");
        expect(request(w.scientist(), "lender", Map.of("attribute", "applicant_id")), "monitoring.bias_too_many_groups");
        expect(request(w.scientist(), "income-model", Map.of("attribute", "sex")), "monitoring.bias_not_classification");
        expect(request(w.scientist(), "lender", Map.of()), "monitoring.bias_invalid");
        Api.Response label = request(w.scientist(), "lender", Map.of("attribute", "sex", "positiveLabel", "maybe"));
        expect(label, "monitoring.bias_invalid");
        assertThat(label.body()).contains("positiveLabel");
        expect(request(w.scientist(), "lender", Map.of("attribute", "sex", "privilegedGroup", "Z")),
                "monitoring.bias_invalid");
        Api.Response columns = request(w.scientist(), "lender", Map.of("attribute", "sex",
                "dataset", Map.of("name", "incomes", "version", 1)));
        expect(columns, "monitoring.bias_invalid");
        assertThat(columns.body()).contains("has no column");
        assertThat(request(w.scientist(), "no-such-model", Map.of("attribute", "sex")).code()).isEqualTo("model.not_found");
        assertThat(api.get(base() + "/models/lender/versions/1/bias-reports/" + java.util.UUID.randomUUID(),
                fx.token(w.scientist())).code()).isEqualTo("monitoring.bias_report_not_found");
    }

    @Test
    void anImportedClassifierHasNoHeldOutRowsAndIsEvaluatedOnANamedDatasetVersion() {
        Api.Response imported = importClassifier("imported-lender", """
                {"features": [{"name": "income", "type": "decimal"}, {"name": "years_employed", "type": "integer"},
                              {"name": "applicant_id", "type": "integer"}],
                 "target": {"name": "approved", "type": "boolean", "labels": ["false", "true"]}}""");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        Api.Response noData = request(w.scientist(), "imported-lender", Map.of("attribute", "sex"));
        expect(noData, "monitoring.bias_invalid");
        assertThat(noData.body()).contains("dataset", "imported");

        JsonNode report = completed(request(w.scientist(), "imported-lender", Map.of("attribute", "sex",
                "dataset", Map.of("name", "loans", "version", 1))));
        assertThat(report.path("evaluation").path("rows").asString()).isEqualTo("all");
        assertThat(report.path("rows").path("evaluated").asLong()).isEqualTo(2500);
        assertThat(report.path("groups").size()).isEqualTo(3);
    }

    @Test
    void onlyPermittedRolesRequestReportsViewersReadThemAndAnotherTenantSeesNothing() {
        for (String role : List.of("viewer", "predictor", "data-steward")) {
            Api.Response denied = request(w.roles().member(role), "lender", Map.of("attribute", "sex"));
            assertThat(denied.status()).as(role).isEqualTo(403);
            assertThat(denied.code()).isEqualTo("access.denied");
        }
        clock.advance(Duration.ofSeconds(1)); // so that this report is the newest
        Api.Response byAuditor = request(w.roles().member("auditor"), "lender", Map.of("attribute", "region"));
        assertThat(byAuditor.status()).as(byAuditor.toString()).isEqualTo(202);
        JsonNode done = completed(byAuditor);
        String path = base() + "/models/lender/versions/1/bias-reports";
        assertThat(byAuditor.header("Location")).isEqualTo(path + "/" + done.path("id").asString());

        Api.Response viewed = api.get(path + "/" + done.path("id").asString(), fx.token(w.roles().member("viewer")));
        assertThat(viewed.status()).isEqualTo(200);
        assertThat(viewed.json().path("groups").size()).isEqualTo(4);
        JsonNode listed = api.get(path, fx.token(w.roles().member("viewer"))).json();
        assertThat(listed.isArray()).isTrue();
        assertThat(listed.get(0).path("id").asString()).as("newest first").isEqualTo(done.path("id").asString());
        assertThat(api.get(path, fx.token(w.roles().member("predictor"))).status()).isEqualTo(403);
        assertThat(api.get(base() + "/models/lender/versions/2/bias-reports/" + done.path("id").asString(),
                fx.token(w.scientist())).code()).as("a report is found only under its own version")
                .isEqualTo("model.version_not_found");
        assertThat(api.get(base() + "/models/fair-lender/versions/1/bias-reports/" + done.path("id").asString(),
                fx.token(w.scientist())).code()).isEqualTo("monitoring.bias_report_not_found");

        Fixtures.RoleTenant other = fx.tenantWithAllRoles("bias-outsider");
        for (String role : List.of("tenant-admin", "data-scientist", "auditor")) {
            String token = fx.token(other.member(role));
            Api.Response post = api.post(base() + "/models/lender/versions/1/bias-report", token, Map.of("attribute", "sex"));
            assertThat(post.status()).as(role).isEqualTo(404);
            assertThat(post.code()).isEqualTo("tenant.not_found");
            assertThat(api.get(path, token).status()).isEqualTo(404);
            assertThat(api.get(path + "/" + done.path("id").asString(), token).code()).isEqualTo("tenant.not_found");
        }
    }

    // --- the world -----------------------------------------------------------------------------

    private World build() {
        Fixtures.RoleTenant roles = fx.tenantWithAllRoles("lending");
        String tenant = roles.id();
        Fixtures.User scientist = fx.member(tenant, "data-scientist");
        Fixtures.User engineer = fx.member(tenant, "ml-engineer");
        Fixtures.User reviewer = fx.member(tenant, "ml-engineer");
        LoanApplications biased = new LoanApplications(2500, 3, true);
        LoanApplications fair = new LoanApplications(2500, 4, false);
        String base = "/api/v1/tenants/" + tenant;
        upload(base, scientist, "loans", biased.csv());
        upload(base, scientist, "fair-loans", fair.csv());
        upload(base, scientist, "incomes", "income,years_employed\n" + "52.5,3\n".repeat(20) + "61.0,12\n".repeat(20));
        train(base, scientist, Map.of("model", "lender", "dataset", "loans", "version", 1, "task", "classification",
                "algorithm", "logistic-regression", "target", "approved", "features", FEATURES));
        train(base, scientist, Map.of("model", "fair-lender", "dataset", "fair-loans", "version", 1,
                "task", "classification", "algorithm", "logistic-regression", "target", "approved", "features", FEATURES));
        train(base, scientist, Map.of("model", "income-model", "dataset", "fair-loans", "version", 1,
                "task", "regression", "algorithm", "linear-regression", "target", "income",
                "features", List.of("years_employed")));
        for (String model : List.of("lender", "fair-lender")) {
            Api.Response approved = api.post(base + "/models/" + model + "/versions/1/approval", fx.token(reviewer),
                    Map.of("reason", "bias report test"));
            assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
            Api.Response deployed = api.put(base + "/deployments/" + model, fx.token(engineer), Map.of("model", model,
                    "version", 1, "maxBatch", 1000, "unknownCategories", "ignore"));
            assertThat(deployed.status()).as(deployed.toString()).isEqualTo(200);
        }
        return new World(tenant, roles, scientist, engineer, biased, fair);
    }

    private void upload(String base, Fixtures.User user, String dataset, String csv) {
        Api.Response upload = api.postRaw(base + "/datasets/" + dataset + "/versions", fx.token(user), "text/csv", csv);
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
    }

    private void train(String base, Fixtures.User user, Map<String, Object> request) {
        Api.Response job = api.post(base + "/training-jobs", fx.token(user), request);
        assertThat(job.status()).as(job.toString()).isEqualTo(202);
        String id = job.json().path("id").asString();
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = api.get(base + "/training-jobs/" + id, fx.token(user)).json();
            return List.of("succeeded", "failed").contains(last[0].path("state").asString());
        });
        assertThat(last[0].path("state").asString()).as(last[0].toString()).isEqualTo("succeeded");
    }

    // --- the independent computation -------------------------------------------------------------

    /** What the test expects of one group, from its own split, a deployment's predictions and its own arithmetic. */
    private record Expected(long n, double selectionRate, double accuracy, double truePositiveRate) {}

    private Map<String, Expected> independently(LoanApplications data, String deployment) {
        boolean[] held = OfflineTraining.heldOut(data.rows().size(), TEST_FRACTION, SEED);
        List<LoanApplications.Row> rows = new ArrayList<>();
        List<Map<String, Object>> instances = new ArrayList<>();
        for (int i = 0; i < held.length; i++) {
            if (held[i]) {
                LoanApplications.Row row = data.rows().get(i);
                rows.add(row);
                instances.add(Map.of("income", row.income(), "years_employed", row.yearsEmployed(), "region", row.region()));
            }
        }
        assertThat(rows).hasSize(500);
        Api.Response scored = api.post(base() + "/deployments/" + deployment + "/predictions", fx.token(w.scientist()),
                Map.of("instances", instances));
        assertThat(scored.status()).as(scored.toString()).isEqualTo(200);
        JsonNode predictions = scored.json().path("predictions");
        Map<String, long[]> counts = new TreeMap<>(); // n, selected, correct, positives, true positives
        for (int i = 0; i < rows.size(); i++) {
            boolean predicted = predictions.get(i).asString().equals("true"); // output "label": the label alone
            boolean actual = rows.get(i).approved();
            long[] c = counts.computeIfAbsent(rows.get(i).sex(), s -> new long[5]);
            c[0]++;
            c[1] += predicted ? 1 : 0;
            c[2] += predicted == actual ? 1 : 0;
            c[3] += actual ? 1 : 0;
            c[4] += predicted && actual ? 1 : 0;
        }
        Map<String, Expected> expected = new HashMap<>();
        counts.forEach((sex, c) -> expected.put(sex, new Expected(c[0], c[1] / (double) c[0], c[2] / (double) c[0],
                c[3] == 0 ? Double.NaN : c[4] / (double) c[3])));
        return expected;
    }

    private static void assertMatches(JsonNode report, Map<String, Expected> expected) {
        assertThat(report.path("groups").size()).isEqualTo(expected.size());
        for (String sex : List.of("F", "M")) {
            JsonNode group = group(report, sex);
            Expected e = expected.get(sex);
            assertThat(group.path("n").asLong()).as(sex).isEqualTo(e.n()).isGreaterThanOrEqualTo(30);
            assertThat(group.path("tooSmall").asBoolean()).isFalse();
            assertThat(group.path("selectionRate").asDouble()).as(sex).isCloseTo(e.selectionRate(), within(1e-9));
            assertThat(group.path("accuracy").asDouble()).as(sex).isCloseTo(e.accuracy(), within(1e-9));
            assertThat(group.path("truePositiveRate").asDouble()).as(sex).isCloseTo(e.truePositiveRate(), within(1e-9));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Imports the ONNX-ML linear classifier of the registry tests (labels 0 and 1 over three numbers). */
    private Api.Response importClassifier(String name, String schema) {
        String boundary = "citadel-" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        part(body, boundary, "model", "model.onnx", "application/octet-stream",
                dev.citadel.registry.scan.ValidModels.linearClassifier());
        part(body, boundary, "schema", "schema.json", "application/json", schema.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return api.send(api.request(base() + "/models/" + name + "/versions", fx.token(w.scientist()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static void part(java.io.ByteArrayOutputStream body, String boundary, String name, String filename,
            String type, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private String base() {
        return "/api/v1/tenants/" + w.tenant();
    }

    private Api.Response request(Fixtures.User user, String model, Map<String, Object> body) {
        return api.post(base() + "/models/" + model + "/versions/1/bias-report", fx.token(user), body);
    }

    private JsonNode completed(Api.Response submitted) {
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        assertThat(submitted.json().path("state").asString()).isIn("queued", "running", "succeeded");
        String location = submitted.header("Location");
        String token = fx.token(w.scientist());
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = api.get(location, token).json();
            return List.of("succeeded", "failed").contains(last[0].path("state").asString());
        });
        assertThat(last[0].path("state").asString()).as(last[0].toString()).isEqualTo("succeeded");
        assertThat(last[0].path("percent").asInt()).isEqualTo(100);
        // the report is stored just before its job records its own end
        JsonNode[] job = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            job[0] = api.get(base() + "/jobs/" + last[0].path("id").asString(), token).json();
            return job[0].path("state").asString().equals("succeeded");
        });
        assertThat(job[0].path("kind").asString()).isEqualTo("monitoring.bias-report");
        assertThat(job[0].path("result").path("report").asString()).isEqualTo(last[0].path("id").asString());
        return last[0];
    }

    private static JsonNode group(JsonNode report, String value) {
        for (JsonNode group : report.path("groups")) {
            if (group.path("value").asString().equals(value)) {
                return group;
            }
        }
        throw new AssertionError("no group " + value + " in " + report);
    }

    private static void expect(Api.Response response, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
    }

    /** The details of the tenant's {@code monitoring.alert} entries about report {@code id}. */
    private List<JsonNode> alertsFor(String id) {
        List<JsonNode> found = new ArrayList<>();
        for (Map<String, Object> entry : audit.latest(new TenantId(w.tenant()), 500)) {
            if (entry.get("action").equals("monitoring.alert")) {
                JsonNode details = Api.JSON.readTree(entry.get("details").toString());
                if (details.path("report").asString().equals(id)) {
                    found.add(details);
                }
            }
        }
        return found;
    }

    private List<String> auditActions(String id) {
        return audit.latest(new TenantId(w.tenant()), 500).stream().filter(e -> id.equals(e.get("target_id")))
                .map(e -> e.get("action").toString()).toList();
    }
}
