package dev.citadel.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.deployments.ServingFixtures;
import dev.citadel.registry.scan.ValidModels;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Drift end to end over HTTPS: a model trained and deployed in the test gets its reference from its
 * training data (the sensitive column left out); rows from the training distribution make a window
 * that did not drift; rows with glucose shifted far up and wards the model rarely or never saw make
 * a window that drifted in exactly those two features and raise one drift alert in the tenant's
 * trail; a window also closes on time; nothing of the live values is kept or shown; an imported model
 * has no reference; a failing observer is counted and never fails the request; other tenants get 404.
 * Windows close after 200 instances here (IntegrationTest).
 */
class DriftTest extends IntegrationTest {

    private static final List<String> FEATURES = List.of("age", "sex", "ward", "diagnosis", "glucose", "bmi",
            "prior_admissions", "contact");
    private static final Set<String> MONITORED = Set.of("age", "sex", "ward", "diagnosis", "glucose", "bmi",
            "prior_admissions");
    private static final String[] WARDS = {"cardiology", "general", "oncology", "icu"};
    private static final String[] DIAGNOSES = {"diabetes", "hypertension", "asthma", "copd", "healthy"};

    @Autowired
    DriftMonitor monitor;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private String tenant;
    private ServingFixtures serving;
    private Fixtures.User viewer;

    @BeforeEach
    void tenant() {
        tenant = fx.createTenant("drift");
        serving = new ServingFixtures(api, fx);
        viewer = fx.member(tenant, "viewer");
    }

    @Test
    void shiftedInputsDriftInExactlyTheShiftedFeaturesAndRaiseOneAlert() {
        serving.deployed(tenant, "risk", "visits", csv(visits(600, 1, false)), "readmitted", FEATURES,
                Map.of("unknownCategories", "ignore"));
        JsonNode report = awaitReference("risk");
        assertThat(report.path("referenceStatus").asString()).isEqualTo("ready");
        assertThat(report.path("reference").path("dataset").asString()).isEqualTo("visits");
        assertThat(report.path("reference").path("version").asInt()).isEqualTo(1);
        assertThat(report.path("reference").path("rows").asLong()).isEqualTo(600);
        assertThat(names(report.path("reference").path("features"))).isEqualTo(MONITORED);
        assertThat(report.path("reference").path("skipped").toString()).as("the tokenized column is not summarised")
                .isEqualTo("[\"contact\"]");
        assertThat(report.path("latest").isNull()).isTrue();
        assertThat(report.path("history").size()).isZero();

        String predictor = serving.predictor(tenant, "drift-app");
        score("risk", predictor, visits(200, 2, false));
        JsonNode calm = awaitWindows("risk", 1).path("latest");
        assertThat(calm.path("instances").asLong()).isEqualTo(200);
        assertThat(calm.path("model").asString()).isEqualTo("risk");
        assertThat(calm.path("version").asInt()).isEqualTo(1);
        assertThat(calm.path("drifted").asBoolean()).as(calm.toString()).isFalse();
        assertThat(names(calm.path("features"))).isEqualTo(MONITORED);
        for (JsonNode feature : calm.path("features")) {
            assertThat(feature.path("psi").asDouble()).as(feature.toString()).isLessThan(0.2);
            assertThat(feature.path("drifted").asBoolean()).as(feature.toString()).isFalse();
        }
        JsonNode glucose = feature(calm, "glucose");
        assertThat(glucose.path("ks").isNumber()).isTrue();
        assertThat(glucose.path("pValue").asDouble()).isGreaterThan(0.01);
        assertThat(feature(calm, "bmi").path("missing").asLong()).as("missing values have a bin of their own")
                .isPositive();
        assertThat(feature(calm, "ward").has("ks")).as("KS is for numbers").isFalse();

        score("risk", predictor, visits(200, 3, true));
        JsonNode after = awaitWindows("risk", 2);
        JsonNode shifted = after.path("latest");
        assertThat(after.path("history").get(1)).isEqualTo(calm);
        assertThat(shifted.path("drifted").asBoolean()).isTrue();
        Set<String> drifted = new TreeSet<>();
        for (JsonNode feature : shifted.path("features")) {
            if (feature.path("drifted").asBoolean()) {
                drifted.add(feature.path("name").asString());
            }
        }
        assertThat(drifted).as(shifted.toString()).containsExactly("glucose", "ward");
        assertThat(feature(shifted, "glucose").path("psi").asDouble()).isGreaterThan(0.2);
        assertThat(feature(shifted, "glucose").path("pValue").asDouble()).isLessThan(0.01);
        assertThat(feature(shifted, "ward").path("psi").asDouble()).isGreaterThan(0.2);
        for (String unshifted : List.of("age", "sex", "diagnosis", "bmi", "prior_admissions")) {
            assertThat(feature(shifted, unshifted).path("psi").asDouble()).as(unshifted).isLessThan(0.2);
        }

        List<JsonNode> alerts = alerts();
        assertThat(alerts).as("one alert, for the window that drifted").hasSize(1);
        JsonNode details = alerts.get(0).path("details");
        assertThat(details.path("type").asString()).isEqualTo("drift");
        assertThat(details.path("severity").asString()).isEqualTo("warning");
        assertThat(details.path("deployment").asString()).isEqualTo("risk");
        assertThat(details.path("version").asString()).isEqualTo("1");
        assertThat(details.path("features").asString()).isEqualTo("glucose,ward");
        assertThat(Double.parseDouble(details.path("psi.glucose").asString())).isGreaterThan(0.2);

        String everything = api.get(base() + "/deployments/risk/drift?limit=50", fx.token(viewer)).body()
                + alerts.get(0).toString();
        assertThat(everything).as("an unseen category is counted as other, never named").doesNotContain("burns");
        assertThat(everything).doesNotContain("@clinic.example.org", "tok_");
    }

    @Test
    void aWindowAlsoClosesOnTimeOnceItHasTheMinimumAndReadersAreChecked() {
        serving.deployed(tenant, "timed", "visits", csv(visits(400, 5, false)), "readmitted", FEATURES,
                Map.of("unknownCategories", "ignore"));
        awaitReference("timed");
        String predictor = serving.predictor(tenant, "timed-app");
        List<Map<String, Object>> few = visits(40, 6, false);
        score("timed", predictor, few);
        clock.advance(Duration.ofMinutes(6));
        monitor.closeDue();
        assertThat(report("timed").path("history").size()).as("under min-instances (50): the window stays open")
                .isZero();
        score("timed", predictor, visits(20, 7, false));
        clock.advance(Duration.ofMinutes(6));
        monitor.closeDue();
        JsonNode latest = awaitWindows("timed", 1).path("latest");
        assertThat(latest.path("instances").asLong()).isEqualTo(60);
        assertThat(Duration.between(java.time.Instant.parse(latest.path("start").asString()),
                java.time.Instant.parse(latest.path("end").asString()))).isEqualTo(Duration.ofMinutes(12));

        assertThat(api.get(base() + "/deployments/timed/drift", predictor).status()).as("predictors only predict")
                .isEqualTo(403);
        assertThat(api.get(base() + "/deployments/timed/drift?limit=0", fx.token(viewer)).code())
                .isEqualTo("request.invalid");
        Api.Response unknown = api.get(base() + "/deployments/no-such/drift", fx.token(viewer));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("deployment.not_found");

        String other = fx.createTenant("drift-other");
        Fixtures.User outsider = fx.member(other, "tenant-admin", "ml-engineer", "viewer");
        Api.Response crossTenant = api.get(base() + "/deployments/timed/drift", fx.token(outsider));
        assertThat(crossTenant.status()).isEqualTo(404);
        assertThat(crossTenant.code()).isEqualTo("tenant.not_found");
        Api.Response ownTenant = api.get("/api/v1/tenants/" + other + "/deployments/timed/drift", fx.token(outsider));
        assertThat(ownTenant.status()).isEqualTo(404);
        assertThat(ownTenant.code()).isEqualTo("deployment.not_found");
        assertThat(api.get(base() + "/deployments/timed/drift", serving.predictor(other, "outsider-app")).status())
                .isEqualTo(404);
    }

    @Test
    void anImportedModelHasNoReferenceAndTheReportSaysWhyAndAFailingObserverIsOnlyCounted() {
        Fixtures.User scientist = fx.member(tenant, "data-scientist");
        Fixtures.User engineer = fx.member(tenant, "ml-engineer");
        Api.Response imported = importModel("external", ValidModels.logisticRegression(), """
                {"features": [{"name": "age", "type": "decimal"}, {"name": "glucose", "type": "decimal"},
                              {"name": "bmi", "type": "decimal"}],
                 "target": {"name": "risk", "type": "decimal"}}""", fx.token(scientist));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(api.post(base() + "/models/external/versions/1/approval", fx.token(engineer), Map.of("reason", "ok"))
                .status()).isEqualTo(200);
        Api.Response deployed = api.put(base() + "/deployments/external", fx.token(engineer),
                Map.of("model", "external", "version", 1, "output", "scores", "exceptions", List.of("raw-scores")));
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(200);

        JsonNode report = awaitReference("external");
        assertThat(report.path("referenceStatus").asString()).isEqualTo("unavailable");
        assertThat(report.path("reference").isNull()).isTrue();
        assertThat(report.path("note").asString()).contains("imported without training data");
        String predictor = serving.predictor(tenant, "import-app");
        for (int i = 0; i < 3; i++) {
            List<Map<String, Object>> instances = new ArrayList<>();
            for (int j = 0; j < 100; j++) {
                instances.add(Map.of("age", 30 + j % 40, "glucose", 90 + j, "bmi", 22.5));
            }
            assertThat(serving.predict(tenant, "external", predictor, instances).status()).isEqualTo(200);
        }
        monitor.closeDue();
        assertThat(report("external").path("history").size()).as("nothing to compare with, nothing kept").isZero();

        assertThat(api.put(base() + "/deployments/" + FAILING_OBSERVER_DEPLOYMENT, fx.token(engineer),
                Map.of("model", "external", "version", 1)).status()).isEqualTo(200);
        double failures = meters.counter("citadel.predictions.observer.failures").count();
        Api.Response answered = serving.predict(tenant, FAILING_OBSERVER_DEPLOYMENT, predictor,
                List.of(Map.of("age", 50, "glucose", 120, "bmi", 25)));
        assertThat(answered.status()).as("a failing observer never fails the request").isEqualTo(200);
        assertThat(meters.counter("citadel.predictions.observer.failures").count()).isEqualTo(failures + 1);
    }

    private JsonNode awaitReference(String deployment) {
        JsonNode[] report = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
            report[0] = report(deployment);
            return !report[0].path("referenceStatus").asString().equals("pending");
        });
        return report[0];
    }

    private JsonNode awaitWindows(String deployment, int windows) {
        JsonNode[] report = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
            report[0] = report(deployment);
            return report[0].path("history").size() >= windows;
        });
        assertThat(report[0].path("history").size()).isEqualTo(windows);
        return report[0];
    }

    private JsonNode report(String deployment) {
        Api.Response response = api.get(base() + "/deployments/" + deployment + "/drift", fx.token(viewer));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** The tenant's drift alerts (the shifted rows may also raise a security alert from the extraction monitor). */
    private List<JsonNode> alerts() {
        Api.Response page = api.get(base() + "/audit?action=monitoring.alert&targetId=drift",
                fx.token(fx.member(tenant, "auditor")));
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<JsonNode> alerts = new ArrayList<>();
        page.json().path("items").forEach(alerts::add);
        return alerts;
    }

    private void score(String deployment, String predictor, List<Map<String, Object>> rows) {
        for (int start = 0; start < rows.size(); start += 100) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (Map<String, Object> row : rows.subList(start, Math.min(rows.size(), start + 100))) {
                Map<String, Object> instance = new LinkedHashMap<>(row);
                instance.remove("readmitted");
                batch.add(instance);
            }
            Api.Response answer = serving.predict(tenant, deployment, predictor, batch);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        }
    }

    private static JsonNode feature(JsonNode window, String name) {
        for (JsonNode feature : window.path("features")) {
            if (feature.path("name").asString().equals(name)) {
                return feature;
            }
        }
        throw new AssertionError("no feature " + name + " in " + window);
    }

    private static Set<String> names(JsonNode features) {
        Set<String> names = new TreeSet<>();
        features.forEach(f -> names.add(f.path("name").asString()));
        return names;
    }

    /**
     * Hospital visits: wards mostly cardiology and general, rarely icu; a contact e-mail per ward
     * (found sensitive and tokenized). Shifted visits have glucose 150 higher and are in icu or a
     * ward the model never saw ("burns"); everything else is drawn as before.
     */
    private static List<Map<String, Object>> visits(int rows, long seed, boolean shifted) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Object>> visits = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int age = 20 + random.nextInt(70);
            double glucose = Math.round((70 + random.nextDouble() * 130 + (shifted ? 150 : 0)) * 10) / 10.0;
            double draw = random.nextDouble();
            String ward = shifted ? (draw < 0.5 ? "icu" : "burns")
                    : WARDS[draw < 0.4 ? 0 : draw < 0.8 ? 1 : draw < 0.97 ? 2 : 3];
            Map<String, Object> visit = new LinkedHashMap<>();
            visit.put("age", age);
            visit.put("sex", random.nextBoolean() ? "F" : "M");
            visit.put("ward", ward);
            visit.put("diagnosis", DIAGNOSES[random.nextInt(DIAGNOSES.length)]);
            visit.put("glucose", glucose);
            double bmi = Math.round((18 + random.nextDouble() * 17) * 10) / 10.0;
            visit.put("bmi", random.nextInt(12) == 0 ? null : bmi);
            visit.put("prior_admissions", random.nextInt(5));
            visit.put("contact", WARDS[random.nextInt(3)] + "@clinic.example.org");
            double risk = 0.05 * (age - 55) + 0.03 * (glucose - 135) + (ward.equals("icu") ? 1 : 0)
                    + random.nextDouble() - 0.5;
            visit.put("readmitted", risk > 0 ? "yes" : "no");
            visits.add(visit);
        }
        return visits;
    }

    private static String csv(List<Map<String, Object>> rows) {
        StringBuilder csv = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            row.values().forEach(v -> cells.add(v == null ? "" : v instanceof Double d
                    ? String.format(Locale.ROOT, "%.1f", d) : v.toString()));
            csv.append(String.join(",", cells)).append('\n');
        }
        return csv.toString();
    }

    private Api.Response importModel(String name, byte[] onnx, String schema, String token) {
        String boundary = "citadel-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "model", "model.onnx", "application/octet-stream", onnx);
        part(body, boundary, "schema", "schema.json", "application/json", schema.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest.Builder request = api.request(base() + "/models/" + name + "/versions", token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        return api.send(request);
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String filename, String type,
            byte[] content) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private String base() {
        return "/api/v1/tenants/" + tenant;
    }
}
