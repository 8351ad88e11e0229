package dev.citadel.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;

/**
 * Serving end to end over HTTPS: deploy an approved, verified model; score patient records as a
 * predictor service account in each output mode; inputs validated per instance and field; the
 * model's accuracy holds through the serving encoder (so it encodes as training did); versions
 * roll; a tampered artifact is refused at load; the trail names the version and never the inputs;
 * another tenant gets 404.
 */
class ServingTest extends IntegrationTest {

    private static final int ROWS = 600;

    private String tenant;
    private Fixtures.User scientist;
    private Fixtures.User engineer;
    private Fixtures.User reviewer;
    private String predictor;
    private List<Map<String, Object>> records;

    @BeforeEach
    void deployedClinic() {
        tenant = fx.createTenant("serving");
        scientist = fx.member(tenant, "data-scientist");
        engineer = fx.member(tenant, "ml-engineer");
        reviewer = fx.member(tenant, "ml-engineer");
        String csv = ClinicalRecords.csv(ROWS, 21);
        assertThat(api.postRaw(base() + "/datasets/admissions/versions", fx.token(scientist), "text/csv", csv).status())
                .isEqualTo(201);
        records = records(csv);
        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        Api.Response account = api.post(base() + "/service-accounts", fx.token(admin),
                Api.json("name", "scoring-app", "roles", List.of("predictor")));
        predictor = clientToken(account.json().path("clientId").asString(), account.json().path("clientSecret").asString());
    }

    @Test
    void anApprovedModelIsServedToAPredictorInEveryOutputMode() {
        for (String algorithm : List.of("logistic-regression", "gradient-boosted-trees")) {
            String model = "readmit-" + algorithm.charAt(0);
            trainAndApprove(model, algorithm, 1);
            Api.Response deployed = api.put(base() + "/deployments/" + model, fx.token(engineer),
                    Map.of("model", model, "version", 1, "output", "label"));
            assertThat(deployed.status()).as(deployed.toString()).isEqualTo(200);
            assertThat(deployed.json().path("stage").asString()).isEqualTo("production");

            int correct = 0;
            for (int start = 0; start < ROWS; start += 100) {
                List<Map<String, Object>> batch = new ArrayList<>();
                List<String> truth = new ArrayList<>();
                for (Map<String, Object> record : records.subList(start, start + 100)) {
                    Map<String, Object> instance = new HashMap<>(record);
                    truth.add("yes".equals(instance.remove("readmitted")) ? "true" : "false");
                    batch.add(instance);
                }
                JsonNode answer = predict(model, batch, predictor);
                assertThat(answer.path("version").asInt()).isEqualTo(1);
                assertThat(answer.path("model").asString()).isEqualTo(model);
                for (int i = 0; i < 100; i++) {
                    if (answer.path("predictions").get(i).asString().equals(truth.get(i))) {
                        correct++;
                    }
                }
            }
            assertThat(correct / (double) ROWS).as(algorithm + " accuracy through the serving path").isGreaterThan(0.75);

            api.put(base() + "/deployments/" + model, fx.token(engineer), Map.of("model", model, "version", 1,
                    "output", "scores", "exceptions", List.of("raw-scores")));
            JsonNode scores = predict(model, List.of(instance(0)), predictor).path("predictions").get(0);
            double sum = scores.path("scores").path("true").asDouble() + scores.path("scores").path("false").asDouble();
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));

            api.put(base() + "/deployments/" + model, fx.token(engineer), Map.of("model", model, "version", 1,
                    "output", "rounded-scores", "precision", 1, "topK", 1));
            JsonNode rounded = predict(model, List.of(instance(0)), predictor).path("predictions").get(0);
            assertThat(rounded.path("scores").size()).isEqualTo(1);
            double only = rounded.path("scores").properties().iterator().next().getValue().asDouble();
            assertThat(only * 10).isEqualTo(Math.rint(only * 10));
        }
    }

    @Test
    void aCsvIsScoredInTheBackgroundAndItsResultIsStoredOnlyEncrypted() throws IOException {
        trainAndApprove("batch", "logistic-regression", 1);
        api.put(base() + "/deployments/batch", fx.token(engineer), Map.of("model", "batch", "version", 1,
                "output", "rounded-scores", "precision", 3));
        String csv = ClinicalRecords.csv(40, 99) + "99999,Ann Lee,123-45-6789,ann@example.org,70,F,icu,copd,150,high,30.1,"
                + "2,5.5,yes,stable\n";
        Api.Response submitted = api.postRaw(base() + "/deployments/batch/batch-predictions", predictor, "text/csv", csv);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String job = submitted.json().path("id").asString();
        assertThat(submitted.header("Location")).endsWith("/deployments/batch/batch-predictions/" + job);
        JsonNode[] state = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            state[0] = api.get(base() + "/deployments/batch/batch-predictions/" + job, predictor).json();
            return List.of("succeeded", "failed").contains(state[0].path("state").asString());
        });
        assertThat(state[0].path("state").asString()).as(state[0].toString()).isEqualTo("succeeded");
        assertThat(state[0].path("rows").asLong()).isEqualTo(41);
        assertThat(state[0].path("failedRows").asLong()).isEqualTo(1);
        assertThat(state[0].path("version").asInt()).isEqualTo(1);

        Api.Response result = api.get(base() + "/deployments/batch/batch-predictions/" + job + "/result", predictor);
        assertThat(result.status()).isEqualTo(200);
        List<String> lines = result.body().lines().toList();
        assertThat(lines.get(0)).startsWith("line,prediction,score_").endsWith(",error");
        assertThat(lines).hasSize(42);
        assertThat(lines.get(1)).matches("2,(true|false),[01]\\.\\d{1,3},[01]\\.\\d{1,3},");
        assertThat(lines.get(41)).startsWith("42,,,,").contains("glucose");
        assertThat(dev.citadel.support.PlaintextScan.filesContaining(DATA_DIR,
                "line,prediction".getBytes(java.nio.charset.StandardCharsets.UTF_8))).as("result stored encrypted").isEmpty();
        assertThat(dev.citadel.support.PlaintextScan.filesContaining(DATA_DIR,
                "Ann Lee".getBytes(java.nio.charset.StandardCharsets.UTF_8))).as("input stored encrypted").isEmpty();

        String other = fx.createTenant("batch-other");
        Fixtures.User otherAdmin = fx.member(other, "tenant-admin");
        Api.Response account = api.post("/api/v1/tenants/" + other + "/service-accounts", fx.token(otherAdmin),
                Api.json("name", "other-batch", "roles", List.of("predictor")));
        String outsider = clientToken(account.json().path("clientId").asString(),
                account.json().path("clientSecret").asString());
        assertThat(api.get(base() + "/deployments/batch/batch-predictions/" + job + "/result", outsider).status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/tenants/" + other + "/deployments/batch/batch-predictions/" + job, outsider).status())
                .isEqualTo(404);
    }

    @Test
    void aProtectedFeatureIsTokenizedAtServingExactlyAsAtTraining() {
        String[] wards = {"icu@clinic.example.org", "cardiology@clinic.example.org", "general@clinic.example.org"};
        StringBuilder csv = new StringBuilder("age,ward_email,readmitted\n");
        java.util.Random random = new java.util.Random(4);
        for (int i = 0; i < 300; i++) {
            int ward = random.nextInt(3);
            csv.append(20 + random.nextInt(70)).append(',').append(wards[ward]).append(',')
                    .append(ward == 0 ? "yes" : "no").append('\n');
        }
        JsonNode version = api.postRaw(base() + "/datasets/contacts/versions", fx.token(scientist), "text/csv",
                csv.toString()).json();
        assertThat(version.path("findings").toString()).contains("ward_email", "tokenize");
        Api.Response job = api.post(base() + "/training-jobs", fx.token(engineer), Map.of("model", "by-ward",
                "dataset", "contacts", "version", 1, "task", "classification", "algorithm", "logistic-regression",
                "target", "readmitted", "features", List.of("age", "ward_email")));
        String id = job.json().path("id").asString();
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                api.get(base() + "/training-jobs/" + id, fx.token(engineer)).json().path("state").asString()
                        .equals("succeeded"));
        JsonNode model = api.get(base() + "/models/by-ward/versions/1", fx.token(scientist)).json();
        assertThat(model.path("transforms").toString()).contains("\"column\":\"ward_email\"", "\"action\":\"tokenize\"");
        assertThat(model.path("inputSchema").toString()).as("token categories are not shown to metadata readers")
                .doesNotContain("tok_");
        approve("by-ward", 1);
        api.put(base() + "/deployments/by-ward", fx.token(engineer), Map.of("model", "by-ward", "version", 1));

        JsonNode answer = predict("by-ward", List.of(Map.of("age", 50, "ward_email", wards[0]),
                Map.of("age", 50, "ward_email", wards[1]), Map.of("age", 50, "ward_email", " " + wards[2] + " ")), predictor);
        assertThat(answer.path("predictions").toString()).isEqualTo("[\"true\",\"false\",\"false\"]");
        Api.Response unseen = api.post(base() + "/deployments/by-ward/predictions", predictor,
                Map.of("instances", List.of(Map.of("age", 50, "ward_email", "oncology@clinic.example.org"))));
        assertThat(unseen.status()).isEqualTo(400);
        assertThat(unseen.body()).contains("instances[0].ward_email").doesNotContain("oncology@");
    }

    @Test
    void badInstancesAreRefusedNamingTheInstanceAndField() {
        trainAndApprove("checked", "logistic-regression", 1);
        api.put(base() + "/deployments/checked", fx.token(engineer), Map.of("model", "checked", "version", 1,
                "maxBatch", 5));
        Map<String, Object> unknownFeature = instance(1);
        unknownFeature.put("shoe_size", 42);
        Map<String, Object> missing = instance(2);
        missing.remove("age");
        Map<String, Object> wrongType = instance(3);
        wrongType.put("glucose", "high");
        Map<String, Object> unseen = instance(4);
        unseen.put("ward", "moon-base");
        Api.Response response = api.post(base() + "/deployments/checked/predictions", predictor,
                Map.of("instances", List.of(instance(0), unknownFeature, missing, wrongType, unseen)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("prediction.invalid");
        assertThat(response.body()).contains("instances[1].shoe_size", "instances[2].age", "instances[3].glucose",
                "instances[4].ward").doesNotContain("instances[0]");

        List<Map<String, Object>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(instance(i));
        }
        assertThat(api.post(base() + "/deployments/checked/predictions", predictor, Map.of("instances", six)).body())
                .contains("at most 5");
        assertThat(api.post(base() + "/deployments/checked/predictions", predictor, Map.of("instances", List.of()))
                .status()).isEqualTo(400);
        assertThat(api.post(base() + "/deployments/checked/predictions", predictor, "{\"instances\": 7}").status())
                .isEqualTo(400);

        Map<String, Object> withNulls = instance(5);
        withNulls.put("bmi", null);
        withNulls.put("ward", null);
        assertThat(api.post(base() + "/deployments/checked/predictions", predictor,
                Map.of("instances", List.of(withNulls))).status()).as("null means unknown").isEqualTo(200);
        api.put(base() + "/deployments/checked", fx.token(engineer), Map.of("model", "checked", "version", 1,
                "unknownCategories", "ignore"));
        assertThat(api.post(base() + "/deployments/checked/predictions", predictor,
                Map.of("instances", List.of(unseen))).status()).isEqualTo(200);
    }

    @Test
    void onlyApprovedVerifiedVersionsDeployAndVersionsRollWithoutLosingRequests() throws IOException {
        trainAndApprove("rolling", "logistic-regression", 1);
        assertThat(train("rolling", "logistic-regression", 2)).isEqualTo(2);
        Api.Response candidate = api.put(base() + "/deployments/rolling", fx.token(engineer),
                Map.of("model", "rolling", "version", 2));
        assertThat(candidate.status()).isEqualTo(409);
        assertThat(candidate.code()).isEqualTo("model.stage_conflict");
        assertThat(api.put(base() + "/deployments/rolling", fx.token(engineer), Map.of("model", "rolling", "version", 1))
                .status()).isEqualTo(200);
        assertThat(predict("rolling", List.of(instance(0)), predictor).path("version").asInt()).isEqualTo(1);
        approve("rolling", 2);
        assertThat(api.put(base() + "/deployments/rolling", fx.token(engineer), Map.of("model", "rolling", "version", 2))
                .status()).isEqualTo(200);
        assertThat(predict("rolling", List.of(instance(0)), predictor).path("version").asInt()).isEqualTo(2);

        assertThat(train("rolling", "logistic-regression", 3)).isEqualTo(3);
        approve("rolling", 3);
        Path blob;
        try (Stream<Path> files = Files.walk(DATA_DIR.resolve("blobs/tenants/" + tenant + "/model"))) {
            blob = files.filter(p -> p.getFileName().toString().equals("v3")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 40] ^= 0x10;
        Files.write(blob, bytes);
        Api.Response tampered = api.put(base() + "/deployments/rolling", fx.token(engineer),
                Map.of("model", "rolling", "version", 3));
        assertThat(tampered.status()).isEqualTo(409);
        assertThat(tampered.code()).isEqualTo("model.integrity_failed");
        assertThat(predict("rolling", List.of(instance(0)), predictor).path("version").asInt())
                .as("the deployment still serves the good version").isEqualTo(2);

        assertThat(api.post(base() + "/models/rolling/versions/2/archival", fx.token(reviewer), Map.of()).status())
                .isEqualTo(200);
        Api.Response archived = api.post(base() + "/deployments/rolling/predictions", predictor,
                Map.of("instances", List.of(instance(0))));
        assertThat(archived.status()).as("an archived version is no longer served").isEqualTo(409);
        assertThat(archived.code()).isEqualTo("model.stage_conflict");
    }

    @Test
    void predictionsAreAuditedWithoutTheirInputsAndThePredictorCanDoNothingElse() {
        trainAndApprove("audited", "logistic-regression", 1);
        api.put(base() + "/deployments/audited", fx.token(engineer), Map.of("model", "audited", "version", 1));
        predict("audited", List.of(instance(0), instance(1)), predictor);
        List<Map<String, Object>> events = audit.latest(new TenantId(tenant), 5);
        Map<String, Object> event = events.stream().filter(e -> "prediction".equals(e.get("action"))).findFirst()
                .orElseThrow();
        String details = String.valueOf(event.get("details"));
        assertThat(details).contains("\"instances\":\"2\"", "\"model\":\"audited\"", "\"version\":\"1\"", "sha256");
        for (Object value : instance(0).values()) {
            if (value instanceof String text && text.length() > 2) {
                assertThat(details).doesNotContain(text);
            }
        }
        assertThat(String.valueOf(event.get("actor"))).startsWith("service-account:");

        assertThat(api.get(base() + "/deployments/audited", predictor).status()).isEqualTo(403);
        assertThat(api.get(base() + "/models", predictor).status()).isEqualTo(403);
        assertThat(api.put(base() + "/deployments/audited", predictor, Map.of("model", "audited", "version", 1)).status())
                .isEqualTo(403);
        assertThat(api.post(base() + "/training-jobs", predictor, Map.of()).status()).isEqualTo(403);
        assertThat(api.get(base() + "/datasets/admissions/versions/1/content", predictor).status()).isEqualTo(403);
    }

    @Test
    void anotherTenantsPrincipalsGet404() {
        trainAndApprove("private", "logistic-regression", 1);
        api.put(base() + "/deployments/private", fx.token(engineer), Map.of("model", "private", "version", 1));
        String other = fx.createTenant("serving-other");
        Fixtures.User otherAdmin = fx.member(other, "tenant-admin", "ml-engineer");
        Api.Response account = api.post("/api/v1/tenants/" + other + "/service-accounts", fx.token(otherAdmin),
                Api.json("name", "other-app", "roles", List.of("predictor")));
        String outsider = clientToken(account.json().path("clientId").asString(),
                account.json().path("clientSecret").asString());
        Api.Response response = api.post(base() + "/deployments/private/predictions", outsider,
                Map.of("instances", List.of(instance(0))));
        assertThat(response.status()).isEqualTo(404);
        assertThat(api.get(base() + "/deployments/private", fx.token(otherAdmin)).status()).isEqualTo(404);
        assertThat(api.put(base() + "/deployments/private", fx.token(otherAdmin), Map.of("model", "private", "version", 1))
                .status()).isEqualTo(404);
        assertThat(api.put("/api/v1/tenants/" + other + "/deployments/stolen", fx.token(otherAdmin),
                Map.of("model", "private", "version", 1)).code()).isEqualTo("model.not_found");
        assertThat(api.post("/api/v1/tenants/" + other + "/deployments/private/predictions", outsider,
                Map.of("instances", List.of(instance(0)))).code()).isEqualTo("deployment.not_found");
    }

    private Map<String, Object> instance(int row) {
        Map<String, Object> instance = new HashMap<>(records.get(row));
        instance.remove("readmitted");
        return instance;
    }

    /** The model's features as a client would send them: numbers as numbers, the rest as strings. */
    private static List<Map<String, Object>> records(String csv) {
        String[] lines = csv.split("\n");
        String[] header = lines[0].split(",");
        List<String> features = List.of("age", "sex", "ward", "diagnosis", "systolic_bp", "glucose", "bmi",
                "prior_admissions", "length_of_stay", "readmitted", "patient_id");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            Map<String, Object> row = new HashMap<>();
            for (int c = 0; c < header.length; c++) {
                if (!features.contains(header[c])) {
                    continue;
                }
                String cell = cells[c];
                Object value = cell.isEmpty() ? null : cell.matches("-?[0-9.]+") ? (Object) Double.parseDouble(cell) : cell;
                row.put(header[c], value);
            }
            rows.add(row);
        }
        return rows;
    }

    private JsonNode predict(String deployment, List<Map<String, Object>> instances, String token) {
        Api.Response response = api.post(base() + "/deployments/" + deployment + "/predictions", token,
                Map.of("instances", instances));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private void trainAndApprove(String model, String algorithm, int version) {
        assertThat(train(model, algorithm, version)).isEqualTo(version);
        approve(model, version);
    }

    private void approve(String model, int version) {
        Api.Response approved = api.post(base() + "/models/" + model + "/versions/" + version + "/approval",
                fx.token(reviewer), Map.of("reason", "reviewed"));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    }

    private int train(String model, String algorithm, long seed) {
        Api.Response submitted = api.post(base() + "/training-jobs", fx.token(engineer), Map.of("model", model,
                "dataset", "admissions", "version", 1, "task", "classification", "algorithm", algorithm,
                "target", "readmitted", "seed", seed, "features", List.of("age", "sex", "ward", "diagnosis", "systolic_bp",
                        "glucose", "bmi", "prior_admissions", "length_of_stay", "patient_id")));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String id = submitted.json().path("id").asString();
        JsonNode[] job = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            job[0] = api.get(base() + "/training-jobs/" + id, fx.token(engineer)).json();
            return List.of("succeeded", "failed").contains(job[0].path("state").asString());
        });
        assertThat(job[0].path("state").asString()).as(job[0].toString()).isEqualTo("succeeded");
        return job[0].path("modelVersion").path("version").asInt();
    }

    private String clientToken(String clientId, String secret) {
        Api.Response token = api.postForm("/api/v1/auth/token", Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret), Map.of());
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        return token.json().path("access_token").asString();
    }

    private String base() {
        return "/api/v1/tenants/" + tenant;
    }
}
