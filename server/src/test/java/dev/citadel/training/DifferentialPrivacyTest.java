package dev.citadel.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Differentially private training over HTTPS (issue 12): a DP logistic regression at ε = 3 records
 * its guarantee in the signed lineage, charges the dataset version's ledger, deploys and predicts
 * about as well as the non-private model; a job past the budget is refused before it runs; bad
 * privacy settings are 400s; another tenant sees no ledger.
 */
class DifferentialPrivacyTest extends IntegrationTest {

    private static final List<String> FEATURES = List.of("age", "prior_admissions", "glucose", "diagnosis");

    private String tenant;
    private Fixtures.User scientist;
    private Fixtures.User steward;

    @BeforeEach
    void hospital() {
        tenant = fx.createTenant("dpclinic");
        scientist = fx.member(tenant, "data-scientist");
        steward = fx.member(tenant, "data-steward");
        Api.Response upload = api.postRaw(base() + "/datasets/admissions/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(3000, 21));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
    }

    @Test
    void aPrivateModelRecordsItsGuaranteeChargesTheLedgerAndServes() {
        JsonNode plain = await(submit("plain", null).json().path("id").asString());
        JsonNode dp = await(submit("private", privacy(3.0)).json().path("id").asString());
        assertThat(dp.path("state").asString()).as(dp.toString()).isEqualTo("succeeded");
        double plainAccuracy = plain.path("metrics").path("accuracy").asDouble();
        double dpAccuracy = dp.path("metrics").path("accuracy").asDouble();
        assertThat(plainAccuracy).isGreaterThan(0.85);
        // the noise costs a few points of accuracy on this easy problem, not the model
        assertThat(dpAccuracy).isGreaterThan(plainAccuracy - 0.1);
        assertThat(dp.path("metrics").path("rocAuc").asDouble()).isGreaterThan(0.85);

        JsonNode version = api.get(base() + "/models/private/versions/1", fx.token(scientist)).json();
        assertThat(version.path("signature").path("verified").asBoolean()).isTrue();
        assertThat(version.path("format").asString()).isEqualTo("onnx");
        JsonNode privacy = version.path("lineage").path("privacy");
        assertThat(privacy.path("epsilon").asDouble()).isEqualTo(3.0);
        assertThat(privacy.path("epsilonAccounted").asDouble()).isBetween(2.9, 3.0);
        assertThat(privacy.path("delta").asDouble()).isEqualTo(1.0 / (3000.0 * 3000.0));
        assertThat(privacy.path("sigma").asDouble()).isGreaterThan(0.3);
        assertThat(privacy.path("clip").asDouble()).isEqualTo(1.0);
        assertThat(privacy.path("steps").asLong()).isEqualTo((5L * 2400 + 255) / 256);
        assertThat(privacy.path("samplingRate").asDouble()).isEqualTo(256.0 / 2400);
        assertThat(privacy.path("accountant").path("name").asString()).isEqualTo("rdp-subsampled-gaussian");
        assertThat(privacy.path("noise").asString()).isEqualTo("discrete-gaussian-cks2020");
        assertThat(api.get(base() + "/models/plain/versions/1", fx.token(scientist)).json().path("lineage")
                .has("privacy")).isFalse();

        JsonNode ledger = api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(scientist)).json();
        assertThat(ledger.path("budget").asDouble()).isEqualTo(10.0);
        assertThat(ledger.path("defaultBudget").asBoolean()).isTrue();
        assertThat(ledger.path("spentEpsilon").asDouble()).isEqualTo(3.0);
        assertThat(ledger.path("remainingEpsilon").asDouble()).isEqualTo(7.0);
        assertThat(ledger.path("charges").size()).isEqualTo(1);
        assertThat(ledger.path("charges").get(0).path("job").asString()).isEqualTo(dp.path("id").asString());

        Fixtures.User engineer = fx.member(tenant, "ml-engineer");
        Fixtures.User reviewer = fx.member(tenant, "ml-engineer");
        assertThat(api.post(base() + "/models/private/versions/1/approval", fx.token(reviewer), Map.of("reason", "dp"))
                .status()).isEqualTo(200);
        assertThat(api.put(base() + "/deployments/private", fx.token(engineer), Map.of("model", "private", "version", 1))
                .status()).isEqualTo(200);
        Map<String, Object> old = Map.of("age", 88, "prior_admissions", 4, "glucose", 190.0, "diagnosis", "copd");
        Map<String, Object> young = Map.of("age", 22, "prior_admissions", 0, "glucose", 75.0, "diagnosis", "healthy");
        Api.Response predicted = api.post(base() + "/deployments/private/predictions", fx.token(engineer),
                Map.of("instances", List.of(old, young)));
        assertThat(predicted.status()).as(predicted.toString()).isEqualTo(200);
        assertThat(predicted.json().path("predictions").get(0).asString()).isEqualTo("true");
        assertThat(predicted.json().path("predictions").get(1).asString()).isEqualTo("false");
    }

    /**
     * Issue 12's "Done means": the patient model trained with ε = 3 shows ε, δ, σ in its lineage and
     * the ledger charge; a second job over the remaining budget is refused; the membership-inference
     * report shows a lower attack advantage for the DP model than for a non-DP one. The non-DP model
     * compared is one that can overfit — gradient-boosted trees 8 deep on nine features, which
     * memorise their training rows — because non-DP logistic regression on four features does not
     * overfit this easy problem: its measured advantage is as near zero as the DP model's, and
     * ordering those two would be a coin toss. Both are checked against what they can honestly be:
     * present, and for the DP model under its bound plus the sampling margin.
     */
    @Test
    void theMembershipInferenceReportShowsTheDpModelLeaksLessThanAModelThatMemorises() {
        Map<String, Object> memorising = request("memoriser", null);
        memorising.put("algorithm", "gradient-boosted-trees");
        memorising.put("features", List.of("age", "prior_admissions", "glucose", "diagnosis", "sex", "ward", "bmi",
                "systolic_bp", "length_of_stay"));
        memorising.put("params", Map.of("maxDepth", 8, "trees", 100, "minChildWeight", 0, "lambda", 0));
        Api.Response submitted = api.post(base() + "/training-jobs", fx.token(scientist), memorising);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String plainJob = submit("plain", null).json().path("id").asString();
        String dpJob = submit("private", privacy(3.0)).json().path("id").asString();
        JsonNode memoriser = await(submitted.json().path("id").asString());
        JsonNode plain = await(plainJob);
        JsonNode dp = await(dpJob);
        assertThat(List.of(memoriser, plain, dp)).allSatisfy(job ->
                assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("succeeded"));

        // ε, δ, σ in the signed lineage, the charge on the ledger, and no room for a second ε of 8
        JsonNode version = api.get(base() + "/models/private/versions/1", fx.token(scientist)).json();
        assertThat(version.path("signature").path("verified").asBoolean()).isTrue();
        JsonNode privacy = version.path("lineage").path("privacy");
        assertThat(privacy.path("epsilon").asDouble()).isEqualTo(3.0);
        assertThat(privacy.path("delta").asDouble()).isEqualTo(1.0 / (3000.0 * 3000.0));
        assertThat(privacy.path("sigma").asDouble()).isPositive();
        JsonNode ledger = api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(scientist)).json();
        assertThat(ledger.path("remainingEpsilon").asDouble()).isEqualTo(7.0);
        assertThat(ledger.path("charges").get(0).path("epsilon").asDouble()).isEqualTo(3.0);
        Api.Response refused = api.post(base() + "/training-jobs", fx.token(scientist), request("greedy", privacy(8.0)));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("privacy.budget_exhausted");

        // the report, in the signed metrics of every version and on the job
        JsonNode report = version.path("metrics").path("membershipInference");
        assertThat(dp.path("metrics").path("membershipInference")).isEqualTo(report);
        assertThat(report.path("attack").asString()).isEqualTo("loss-threshold");
        assertThat(report.path("loss").asString()).isEqualTo("cross-entropy");
        assertThat(report.path("members").asInt()).isEqualTo(600);
        assertThat(report.path("nonMembers").asInt()).isEqualTo(600);
        assertThat(report.path("tprAt1PctFpr").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.path("advantageMargin").asDouble())
                .isEqualTo(MembershipInference.margin(600, 600, 0.95));
        JsonNode bound = report.path("dpBound");
        double epsilon = privacy.path("epsilonAccounted").asDouble();
        double delta = privacy.path("delta").asDouble();
        assertThat(bound.path("epsilon").asDouble()).isEqualTo(epsilon);
        assertThat(bound.path("advantage").asDouble())
                .isCloseTo((Math.exp(epsilon) - 1 + 2 * delta) / (Math.exp(epsilon) + 1), within(1e-12));
        assertThat(bound.path("tprAt1PctFpr").asDouble()).isCloseTo(Math.exp(epsilon) * 0.01 + delta, within(1e-12));
        // the measurement is a sample: it may exceed the population's advantage by the DKW margin (99.99%)
        double dpAdvantage = report.path("advantage").asDouble();
        assertThat(dpAdvantage).isBetween(0.0, bound.path("advantage").asDouble()
                + MembershipInference.margin(600, 600, 0.9999));

        JsonNode plainReport = api.get(base() + "/models/plain/versions/1", fx.token(scientist)).json().path("metrics")
                .path("membershipInference");
        assertThat(plainReport.path("members").asInt()).isEqualTo(600);
        assertThat(plainReport.has("dpBound")).as("no guarantee without DP").isFalse();
        JsonNode memoriserReport = api.get(base() + "/models/memoriser/versions/1", fx.token(scientist)).json()
                .path("metrics").path("membershipInference");
        double memorised = memoriserReport.path("advantage").asDouble();
        assertThat(memoriserReport.path("members").asInt()).isEqualTo(600);
        assertThat(memorised).as("deep trees memorise: the attack tells members apart")
                .isGreaterThan(memoriserReport.path("advantageMargin").asDouble());
        assertThat(dpAdvantage).as("the DP model leaks less than the memorising one").isLessThan(memorised - 0.1);
    }

    @Test
    void aJobPastTheRemainingBudgetIsRefusedBeforeItRuns() {
        Api.Response scientistSets = api.put(base() + "/datasets/admissions/privacy-budget", fx.token(scientist),
                Map.of("budget", 100));
        assertThat(scientistSets.status()).isEqualTo(403);
        Api.Response set = api.put(base() + "/datasets/admissions/privacy-budget", fx.token(steward), Map.of("budget", 5));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(submit("first", privacy(3.0)).status()).isEqualTo(202);

        Api.Response refused = api.post(base() + "/training-jobs", fx.token(scientist), request("second", privacy(3.0)));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("privacy.budget_exhausted");
        assertThat(refused.body()).contains("has 2.000 of its privacy budget of 5.000 left");
        JsonNode ledger = api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(scientist)).json();
        assertThat(ledger.path("budget").asDouble()).isEqualTo(5.0);
        assertThat(ledger.path("defaultBudget").asBoolean()).isFalse();
        assertThat(ledger.path("charges").size()).as("the refused job charged nothing").isEqualTo(1);
        assertThat(api.get(base() + "/training-jobs", fx.token(scientist)).json().size())
                .as("the refused job was not queued").isEqualTo(1);
        // what remains can still be spent
        assertThat(submit("third", privacy(2.0)).status()).isEqualTo(202);
        Fixtures.User auditor = fx.member(tenant, "auditor");
        JsonNode charges = api.get(base() + "/audit?action=privacy.budget.charge", fx.token(auditor)).json().path("items");
        List<String> outcomes = new java.util.ArrayList<>();
        charges.forEach(entry -> outcomes.add(entry.path("outcome").asString()));
        assertThat(outcomes).containsExactlyInAnyOrder("success", "denied", "success");
        assertThat(api.get(base() + "/audit?action=privacy.budget.set", fx.token(auditor)).json().path("items").size())
                .isEqualTo(1);
        assertThat(api.put(base() + "/datasets/admissions/privacy-budget", fx.token(steward), Map.of("budget", -1))
                .code()).isEqualTo("privacy.budget_invalid");
    }

    @Test
    void twoJobsSubmittedAtOnceCannotBothSpendTheLastOfTheBudget() throws Exception {
        assertThat(api.put(base() + "/datasets/admissions/privacy-budget", fx.token(steward), Map.of("budget", 4))
                .status()).isEqualTo(200);
        String token = fx.token(scientist);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.CompletableFuture<Integer>> submissions = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            for (String model : List.of("racer-a", "racer-b")) {
                submissions.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return api.post(base() + "/training-jobs", token, request(model, privacy(3.0))).status();
                }, pool));
            }
            start.countDown();
            List<Integer> statuses = submissions.stream().map(java.util.concurrent.CompletableFuture::join).sorted().toList();
            assertThat(statuses).containsExactly(202, 409);
        }
        JsonNode ledger = api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(scientist)).json();
        assertThat(ledger.path("spentEpsilon").asDouble()).isEqualTo(3.0);
        assertThat(ledger.path("charges").size()).isEqualTo(1);
    }

    @Test
    void badPrivacySettingsAre400sNamingTheField() {
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("privacy.epsilon", privacy(0.0));
        Map<String, Object> bigDelta = new HashMap<>(privacy(1.0));
        bigDelta.put("delta", 0.01);
        cases.put("privacy.delta", bigDelta);
        Map<String, Object> noBounds = new HashMap<>(privacy(1.0));
        noBounds.put("bounds", Map.of("age", List.of(0, 120)));
        cases.put("privacy.bounds.glucose", noBounds);
        Map<String, Object> emptyRange = new HashMap<>(privacy(1.0));
        emptyRange.put("bounds", Map.of("age", List.of(120, 0), "prior_admissions", List.of(0, 10),
                "glucose", List.of(40, 300)));
        cases.put("privacy.bounds.age", emptyRange);
        Map<String, Object> noCategories = new HashMap<>(privacy(1.0));
        noCategories.remove("categories");
        cases.put("privacy.categories.diagnosis", noCategories);
        Map<String, Object> tooSmall = new HashMap<>(privacy(1e-4));
        cases.put("privacy", tooSmall);
        cases.forEach((field, privacy) -> {
            Api.Response response = api.post(base() + "/training-jobs", fx.token(scientist), request("bad", privacy));
            assertThat(response.status()).as(field + " " + response).isEqualTo(400);
            assertThat(response.code()).isEqualTo("training.invalid");
            assertThat(response.body()).as(field).contains("\"" + field + "\"");
        });
        Map<String, Object> trees = request("bad", privacy(1.0));
        trees.put("algorithm", "gradient-boosted-trees");
        trees.remove("params");
        Api.Response response = api.post(base() + "/training-jobs", fx.token(scientist), trees);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("available for logistic-regression and linear-regression");
        assertThat(api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(scientist)).json()
                .path("charges").size()).isZero();
    }

    @Test
    void anotherTenantsMemberGets404OnTheLedgerAndTheBudget() {
        String other = fx.createTenant("dpother");
        Fixtures.User outsider = fx.member(other, "data-steward");
        Api.Response ledger = api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(outsider));
        assertThat(ledger.status()).isEqualTo(404);
        assertThat(api.put(base() + "/datasets/admissions/privacy-budget", fx.token(outsider), Map.of("budget", 50))
                .status()).isEqualTo(404);
        Api.Response missing = api.get(base() + "/datasets/admissions/versions/9/privacy-ledger", fx.token(scientist));
        assertThat(missing.status()).isEqualTo(404);
        Api.Response own = api.get("/api/v1/tenants/" + other + "/datasets/admissions/versions/1/privacy-ledger",
                fx.token(outsider));
        assertThat(own.status()).isEqualTo(404);
    }

    @Test
    void aViewerGetsANoisyProfileChargedToTheLedgerAndAProfilePastTheBudgetIsRefused() {
        Fixtures.User viewer = fx.member(tenant, "viewer");
        assertThat(api.get(base() + "/datasets/admissions/versions/1/content", fx.token(viewer)).status())
                .as("a viewer may not read the content").isEqualTo(403);
        Map<String, Object> request = Map.of("epsilon", 3, "columns", List.of(
                Map.of("name", "age", "bounds", List.of(0, 120), "bins", 4),
                Map.of("name", "bmi", "bounds", List.of(10, 50)),
                Map.of("name", "ward", "categories", List.of("cardiology", "oncology", "general"))));
        Api.Response released = api.post(base() + "/datasets/admissions/versions/1/dp-profile", fx.token(viewer), request);
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        JsonNode profile = released.json();
        assertThat(profile.path("epsilon").asDouble()).isEqualTo(3.0);
        assertThat(profile.path("delta").asDouble()).isEqualTo(1.0 / (3000.0 * 3000.0));
        assertThat(profile.path("queries").asInt()).isEqualTo(7);
        assertThat(profile.path("mechanism").asString()).isEqualTo("discrete-gaussian-cks2020");
        // the noise on each count has a standard deviation of about 5 here: 8 of them is far beyond chance
        assertThat(profile.path("rows").asLong()).isBetween(2960L, 3040L);
        JsonNode age = profile.path("columns").get(0);
        assertThat(age.path("mean").asDouble()).as("ages are uniform from 20 to 89").isBetween(51.5, 57.5);
        assertThat(age.path("histogram").size()).isEqualTo(4);
        assertThat(age.path("histogram").get(0).path("bin").asString()).isEqualTo("[0, 30)");
        assertThat(age.path("histogram").get(3).path("bin").asString()).isEqualTo("[90, 120]");
        assertThat(age.path("histogram").get(3).path("count").asLong()).as("nobody is 90 or older").isLessThan(40);
        JsonNode bmi = profile.path("columns").get(1);
        assertThat(bmi.path("count").asLong()).as("every 17th bmi is missing").isBetween(2783L - 40, 2823L + 40);
        assertThat(bmi.path("mean").asDouble()).isBetween(25.0, 28.0);
        assertThat(bmi.has("histogram")).isFalse();
        JsonNode ward = profile.path("columns").get(2).path("histogram");
        assertThat(ward.size()).isEqualTo(5);
        assertThat(ward.get(3).path("bin").asString()).isEqualTo("(other)");
        for (int i = 0; i < 4; i++) {
            assertThat(ward.get(i).path("count").asLong()).as("four wards, one (icu) undeclared").isBetween(690L, 810L);
        }

        JsonNode ledger = api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(viewer)).json();
        assertThat(ledger.path("spentEpsilon").asDouble()).isEqualTo(3.0);
        assertThat(ledger.path("charges").get(0).path("kind").asString()).isEqualTo("profile");
        assertThat(ledger.path("charges").get(0).path("job").asString()).isEqualTo(profile.path("id").asString());
        assertThat(ledger.path("charges").get(0).path("model").isNull()).isTrue();

        assertThat(api.put(base() + "/datasets/admissions/privacy-budget", fx.token(steward), Map.of("budget", 4))
                .status()).isEqualTo(200);
        Api.Response refused = api.post(base() + "/datasets/admissions/versions/1/dp-profile", fx.token(viewer), request);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("privacy.budget_exhausted");
        assertThat(refused.body()).contains("this profile asks for epsilon 3.000");
        assertThat(api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(viewer)).json()
                .path("charges").size()).isEqualTo(1);
        Api.Response training = api.post(base() + "/training-jobs", fx.token(scientist), request("after", privacy(2.0)));
        assertThat(training.code()).as("profiles and training share the ledger").isEqualTo("privacy.budget_exhausted");

        Fixtures.User auditor = fx.member(tenant, "auditor");
        JsonNode entries = api.get(base() + "/audit?action=dataset.dp-profile", fx.token(auditor)).json().path("items");
        assertThat(entries.size()).isEqualTo(1);
        assertThat(entries.get(0).toString()).contains("age,bmi,ward").doesNotContain(profile.path("rows").asString());
    }

    @Test
    void aBadProfileRequestIs400NamingTheFieldChargesNothingAndAnotherTenantGets404() {
        Fixtures.User viewer = fx.member(tenant, "viewer");
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("epsilon", Map.of("epsilon", 0, "columns", List.of(Map.of("name", "age", "bounds", List.of(0, 120)))));
        cases.put("columns", Map.of("epsilon", 1, "columns", List.of()));
        cases.put("columns[0].name", Map.of("epsilon", 1, "columns", List.of(Map.of("name", "ssn",
                "categories", List.of("x")))));
        cases.put("columns[0].bounds", Map.of("epsilon", 1, "columns", List.of(Map.of("name", "age"))));
        cases.put("columns[1].categories", Map.of("epsilon", 1, "columns", List.of(Map.of("name", "age",
                "bounds", List.of(0, 120)), Map.of("name", "ward"))));
        cases.put("columns[0].bins", Map.of("epsilon", 1, "columns", List.of(Map.of("name", "age",
                "bounds", List.of(0, 120), "bins", 1000))));
        cases.put("delta", Map.of("epsilon", 1, "delta", 0.5, "columns", List.of(Map.of("name", "age",
                "bounds", List.of(0, 120)))));
        cases.forEach((field, body) -> {
            Api.Response response = api.post(base() + "/datasets/admissions/versions/1/dp-profile", fx.token(viewer), body);
            assertThat(response.status()).as(field + " " + response).isEqualTo(400);
            assertThat(response.code()).isEqualTo("privacy.profile_invalid");
            assertThat(response.body()).as(field).contains("\"" + field + "\"");
        });
        assertThat(api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(viewer)).json()
                .path("charges").size()).isZero();

        Map<String, Object> good = Map.of("epsilon", 1, "columns", List.of(Map.of("name", "age", "bounds", List.of(0, 120))));
        String other = fx.createTenant("dpprofile-other");
        Fixtures.User outsider = fx.member(other, "viewer");
        assertThat(api.post(base() + "/datasets/admissions/versions/1/dp-profile", fx.token(outsider), good).status())
                .isEqualTo(404);
        assertThat(api.post(base() + "/datasets/admissions/versions/9/dp-profile", fx.token(viewer), good).code())
                .isEqualTo("dataset.version_not_found");
        assertThat(api.post("/api/v1/tenants/" + other + "/datasets/admissions/versions/1/dp-profile", fx.token(outsider),
                good).status()).isEqualTo(404);
        assertThat(api.get(base() + "/datasets/admissions/versions/1/privacy-ledger", fx.token(viewer)).json()
                .path("charges").size()).isZero();
    }

    private static Map<String, Object> privacy(double epsilon) {
        Map<String, Object> privacy = new HashMap<>();
        privacy.put("epsilon", epsilon);
        privacy.put("bounds", Map.of("age", List.of(0, 120), "prior_admissions", List.of(0, 10),
                "glucose", List.of(40, 300)));
        privacy.put("categories", Map.of("diagnosis", List.of("asthma", "copd", "diabetes", "healthy", "hypertension")));
        return privacy;
    }

    private Map<String, Object> request(String model, Map<String, Object> privacy) {
        Map<String, Object> request = new HashMap<>(Map.of("model", model, "dataset", "admissions", "version", 1,
                "task", "classification", "algorithm", "logistic-regression", "target", "readmitted",
                "features", FEATURES, "params", Map.of("epochs", 5)));
        if (privacy != null) {
            request.put("privacy", privacy);
        }
        return request;
    }

    private Api.Response submit(String model, Map<String, Object> privacy) {
        Api.Response response = api.post(base() + "/training-jobs", fx.token(scientist), request(model, privacy));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response;
    }

    private JsonNode await(String id) {
        return TrainingJobPolling.untilFinished(api, base(), id, fx.token(scientist));
    }

    private String base() {
        return "/api/v1/tenants/" + tenant;
    }
}
