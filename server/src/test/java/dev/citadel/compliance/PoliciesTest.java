package dev.citadel.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.citadel.deployments.ServingFixtures;
import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;

/**
 * Policies as code end to end over HTTPS: tenant policies at the train, upload, export and predict
 * gates, the built-in pack at deploy and approve, platform policies tenants cannot touch, compile
 * errors refused with the compiler's message, warnings that let a request through, dry runs against
 * recorded requests, audit entries naming the policy, and 404 for another tenant.
 */
class PoliciesTest extends IntegrationTest {

    private String tenant;
    private Fixtures.User admin;
    private Fixtures.User steward;
    private Fixtures.User scientist;
    private Fixtures.User engineer;

    @BeforeEach
    void tenant() {
        tenant = fx.createTenant("policy");
        admin = fx.member(tenant, "tenant-admin");
        steward = fx.member(tenant, "data-steward");
        scientist = fx.member(tenant, "data-scientist");
        engineer = fx.member(tenant, "ml-engineer");
    }

    private String base() {
        return "/api/v1/tenants/" + tenant;
    }

    private Api.Response putPolicy(String id, String gate, String expression, String effect, String message) {
        return api.put(base() + "/policies/" + id, fx.token(admin), Map.of("gate", gate, "expression", expression,
                "effect", effect, "message", message, "description", "test policy " + id));
    }

    private Api.Response train(String dataset, int version, List<String> features, String algorithm) {
        return api.post(base() + "/training-jobs", fx.token(scientist), Map.of("model", dataset + "-model", "dataset",
                dataset, "version", version, "task", "classification", "algorithm", algorithm, "target", "readmitted",
                "features", features));
    }

    private void awaitJob(String id) {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                api.get(base() + "/training-jobs/" + id, fx.token(scientist)).json().path("state").asString()
                        .equals("succeeded"));
    }

    private List<String> actions(int limit) {
        return audit.latest(new TenantId(tenant), limit).stream().map(e -> (String) e.get("action")).toList();
    }

    @Test
    void aTenantPolicyDeniesTrainingOnIdentifiersThatAreNotTokenizedThenTrainingSucceedsAfterTokenization() {
        Api.Response saved = putPolicy("tokenize-identifiers", "train",
                "input.dataset.columns.all(c, !c.sensitive || c.protection in ['tokenize', 'drop'] "
                        + "|| 'free-text-pii' in c.kinds)",
                "deny", "Identifiers must be tokenized or dropped before training.");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        assertThat(saved.json().path("scope").asString()).isEqualTo("tenant");

        assertThat(api.put(base() + "/datasets/visits/privacy", fx.token(steward),
                Api.json("columns", Map.of("email", "mask"))).status()).isEqualTo(200);
        assertThat(api.postRaw(base() + "/datasets/visits/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(150, 3)).status()).isEqualTo(201);
        List<String> features = List.of("age", "glucose", "prior_admissions");
        Api.Response refused = train("visits", 1, features, "logistic-regression");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("policy.denied");
        assertThat(refused.json().path("detail").asString()).contains("tokenize-identifiers")
                .contains("Identifiers must be tokenized or dropped before training.");
        assertThat(api.get(base() + "/training-jobs", fx.token(scientist)).json().size()).as("no job was queued").isZero();
        Map<String, Object> denial = audit.latest(new TenantId(tenant), 5).stream()
                .filter(e -> "policy.deny".equals(e.get("action"))).findFirst().orElseThrow();
        assertThat(denial.get("target_id")).isEqualTo("tokenize-identifiers");
        assertThat((String) denial.get("details")).contains("\"gate\":\"train\"");

        assertThat(api.put(base() + "/datasets/visits/privacy", fx.token(steward),
                Api.json("columns", Map.of("email", "tokenize"))).status()).isEqualTo(200);
        assertThat(api.postRaw(base() + "/datasets/visits/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(150, 3)).status()).isEqualTo(201);
        Api.Response accepted = train("visits", 2, features, "logistic-regression");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        awaitJob(accepted.json().path("id").asString());
        JsonNode version = api.get(base() + "/models/visits-model/versions/1", fx.token(scientist)).json();
        assertThat(version.path("lineage").path("dataRegion").asString()).as("the signed lineage names the data's region")
                .isEqualTo("eu-west-1");
    }

    @Test
    void theBuiltInPackRefusesACrossRegionDeploymentRawScoresWithoutAnExceptionAndApprovalBelowTheMinimumAccuracy() {
        assertThat(api.put(base() + "/policy-settings", fx.token(admin), Map.of("minAccuracy", 0.999)).status())
                .isEqualTo(200);
        assertThat(api.postRaw(base() + "/datasets/visits/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(150, 8)).status()).isEqualTo(201);
        Api.Response job = train("visits", 1, List.of("age", "prior_admissions", "glucose"), "logistic-regression");
        awaitJob(job.json().path("id").asString());
        String approval = base() + "/models/visits-model/versions/1/approval";
        Api.Response tooWeak = api.post(approval, fx.token(engineer), Map.of("reason", "ok"));
        assertThat(tooWeak.status()).as(tooWeak.toString()).isEqualTo(403);
        assertThat(tooWeak.code()).isEqualTo("policy.denied");
        assertThat(tooWeak.json().path("detail").asString()).contains("minimum-accuracy-approve");
        assertThat(api.put(base() + "/policy-settings", fx.token(admin), Map.of("minAccuracy", 0.5)).json()
                .path("minAccuracy").asDouble()).isEqualTo(0.5);
        assertThat(api.post(approval, fx.token(engineer), Map.of("reason", "ok")).status()).isEqualTo(200);

        String deployment = base() + "/deployments/risk";
        Api.Response elsewhere = api.put(deployment, fx.token(engineer), Map.of("model", "visits-model", "version", 1,
                "region", "us-east-1"));
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(403);
        assertThat(elsewhere.code()).isEqualTo("policy.denied");
        assertThat(elsewhere.json().path("detail").asString()).contains("residency-deploy");
        assertThat(api.get(deployment, fx.token(engineer)).status()).as("nothing was deployed").isEqualTo(404);
        assertThat(api.get(base() + "/models/visits-model/versions/1", fx.token(engineer)).json().path("stage").asString())
                .as("nor promoted").isEqualTo("approved");

        Api.Response raw = api.put(deployment, fx.token(engineer), Map.of("model", "visits-model", "version", 1,
                "output", "scores"));
        assertThat(raw.code()).isEqualTo("policy.denied");
        assertThat(raw.json().path("detail").asString()).contains("raw-scores-need-exception");
        Api.Response granted = api.put(deployment, fx.token(engineer), Map.of("model", "visits-model", "version", 1,
                "output", "scores", "exceptions", List.of("raw-scores")));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        assertThat(granted.json().path("region").asString()).isEqualTo("eu-west-1");
        assertThat(granted.json().path("exceptions").toString()).isEqualTo("[\"raw-scores\"]");
        assertThat(actions(15)).contains("policy.deny", "deployment.put");

        // the dry run: would a stricter policy have refused the deployment just made?
        JsonNode recorded = api.get(base() + "/policy-inputs?gate=deploy", fx.token(admin)).json();
        assertThat(recorded.get(0).path("outcome").asString()).isEqualTo("allow");
        assertThat(recorded.get(0).path("input").path("deployment").path("exceptions").toString()).contains("raw-scores");
        assertThat(recorded.toString()).as("inputs are names and figures, never values").doesNotContain("@example");
        Api.Response dryRun = api.post(base() + "/policies/evaluation", fx.token(admin), Map.of(
                "policy", Map.of("gate", "deploy", "expression", "input.deployment.output != 'scores'",
                        "message", "no raw scores at all"),
                "recordedInput", recorded.get(0).path("id").asString()));
        assertThat(dryRun.status()).as(dryRun.toString()).isEqualTo(200);
        assertThat(dryRun.json().path("holds").asBoolean()).isFalse();
        assertThat(dryRun.json().path("result").asString()).isEqualTo("deny");
        Api.Response wrongGate = api.post(base() + "/policies/evaluation", fx.token(admin), Map.of(
                "policy", Map.of("gate", "train", "expression", "true", "message", "m"),
                "recordedInput", recorded.get(0).path("id").asString()));
        assertThat(wrongGate.code()).isEqualTo("policy.invalid");
        Api.Response direct = api.post(base() + "/policies/evaluation", fx.token(admin), Map.of(
                "id", "residency-deploy", "input", Map.of("model", Map.of("lineage", Map.of("dataRegion", "eu-west-1")),
                        "deployment", Map.of("region", "eu-west-1"))));
        assertThat(direct.json().path("holds").asBoolean()).as(direct.toString()).isTrue();
        assertThat(direct.json().path("result").asString()).isEqualTo("allow");
    }

    @Test
    void aDatasetFlaggedSensitiveIsTrainedOnlyWithDifferentialPrivacyAndPoliciesSeeTheJobsEpsilon() {
        assertThat(api.postRaw(base() + "/datasets/visits/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(600, 4)).status()).isEqualTo(201);
        List<String> features = List.of("age", "glucose", "prior_admissions");
        Map<String, Object> privacy = Map.of("epsilon", 2.0, "bounds", Map.of("age", List.of(0, 120),
                "glucose", List.of(40, 300), "prior_admissions", List.of(0, 10)));
        assertThat(train("visits", 1, features, "logistic-regression").status()).as("not flagged: no DP needed")
                .isEqualTo(202);

        assertThat(api.put(base() + "/datasets/visits/privacy-budget", fx.token(scientist), Map.of("sensitive", true))
                .status()).as("only a data steward flags a dataset").isEqualTo(403);
        Api.Response flagged = api.put(base() + "/datasets/visits/privacy-budget", fx.token(steward),
                Map.of("sensitive", true));
        assertThat(flagged.status()).as(flagged.toString()).isEqualTo(200);
        assertThat(flagged.json().path("sensitive").asBoolean()).isTrue();
        assertThat(flagged.json().path("defaultBudget").asBoolean()).as("the budget is left as it was").isTrue();
        assertThat(actions(5)).contains("privacy.sensitive.set");

        Api.Response refused = train("visits", 1, features, "logistic-regression");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("policy.denied");
        assertThat(refused.json().path("errors").get(0).path("field").asString())
                .isEqualTo("policy:dp-for-sensitive-datasets");
        assertThat(api.get(base() + "/datasets/visits/versions/1/privacy-ledger", fx.token(scientist)).json()
                .path("charges").size()).as("a refused job charges nothing").isZero();

        assertThat(putPolicy("epsilon-cap", "train", "!input.job.privacy || input.job.epsilon <= 1.0", "deny",
                "At most epsilon 1.").status()).isEqualTo(201);
        Map<String, Object> request = new HashMap<>(Map.of("model", "visits-dp", "dataset", "visits", "version", 1,
                "task", "classification", "algorithm", "logistic-regression", "target", "readmitted", "features", features,
                "privacy", privacy));
        Api.Response capped = api.post(base() + "/training-jobs", fx.token(scientist), request);
        assertThat(capped.status()).as(capped.toString()).isEqualTo(403);
        assertThat(capped.json().path("detail").asString()).contains("epsilon-cap");
        assertThat(api.delete(base() + "/policies/epsilon-cap", fx.token(admin)).status()).isEqualTo(204);

        Api.Response accepted = api.post(base() + "/training-jobs", fx.token(scientist), request);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        JsonNode recorded = api.get(base() + "/policy-inputs?gate=train", fx.token(admin)).json().get(0);
        assertThat(recorded.path("outcome").asString()).isEqualTo("allow");
        assertThat(recorded.path("input").path("dataset").path("sensitive").asBoolean()).isTrue();
        assertThat(recorded.path("input").path("job").path("privacy").asBoolean()).isTrue();
        assertThat(recorded.path("input").path("job").path("epsilon").asDouble()).isEqualTo(2.0);
        assertThat(recorded.path("input").path("job").path("delta").asDouble()).isEqualTo(1.0 / (600.0 * 600.0));
    }

    @Test
    void uploadExportAndPredictGatesEnforceTenantPoliciesAndWarningsLetRequestsThrough() {
        assertThat(putPolicy("small-uploads", "upload", "input.dataset.rows <= 100", "deny",
                "Uploads are limited to 100 rows.").status()).isEqualTo(201);
        Api.Response big = api.postRaw(base() + "/datasets/visits/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(150, 8));
        assertThat(big.status()).as(big.toString()).isEqualTo(403);
        assertThat(big.code()).isEqualTo("policy.denied");
        assertThat(api.get(base() + "/datasets/visits/versions", fx.token(scientist)).json().size())
                .as("a refused upload leaves no version").isZero();
        assertThat(api.delete(base() + "/policies/small-uploads", fx.token(admin)).status()).isEqualTo(204);
        assertThat(api.get(base() + "/policies/small-uploads", fx.token(admin)).code()).isEqualTo("policy.not_found");

        new ServingFixtures(api, fx).deployed(tenant, "risk", "clinic", ClinicalRecords.csv(150, 8), "readmitted",
                List.of("age", "prior_admissions", "glucose"), Map.of());
        assertThat(putPolicy("no-dataset-export", "export", "input.export.kind != 'dataset'", "deny",
                "Datasets are not exported.").status()).isEqualTo(201);
        Api.Response export = api.get(base() + "/datasets/clinic/versions/1/content", fx.token(steward));
        assertThat(export.status()).as(export.toString()).isEqualTo(403);
        assertThat(export.code()).isEqualTo("policy.denied");

        assertThat(putPolicy("single-instance", "predict", "input.request.instances <= 1", "warn",
                "Prefer single-instance requests.").status()).isEqualTo(201);
        assertThat(putPolicy("small-batches", "predict", "input.request.instances <= 3", "deny",
                "At most three instances a request.").status()).isEqualTo(201);
        String predictor = new ServingFixtures(api, fx).predictor(tenant, "app");
        Map<String, Object> row = new HashMap<>(Map.of("age", 50, "prior_admissions", 1, "glucose", 120.0));
        Api.Response warned = new ServingFixtures(api, fx).predict(tenant, "risk", predictor, List.of(row, row));
        assertThat(warned.status()).as(warned.toString()).isEqualTo(200);
        assertThat(actions(10)).contains("policy.warn");
        Api.Response denied = new ServingFixtures(api, fx).predict(tenant, "risk", predictor, List.of(row, row, row, row));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.code()).isEqualTo("policy.denied");
        assertThat(denied.json().path("detail").asString()).contains("small-batches");
    }

    @Test
    void aPolicyThatDoesNotTypeCheckIsRefusedWithTheCompilersMessageAndNothingIsStored() {
        Api.Response syntax = putPolicy("broken", "deploy", "input.model.stage ==", "deny", "m");
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.code()).isEqualTo("policy.invalid");
        assertThat(syntax.json().path("detail").asString()).contains("does not compile").contains("ERROR");
        Api.Response notBoolean = putPolicy("broken", "deploy", "1 + 1", "deny", "m");
        assertThat(notBoolean.code()).isEqualTo("policy.invalid");
        assertThat(notBoolean.json().path("detail").asString()).contains("bool");
        Api.Response unknownFunction = putPolicy("broken", "deploy", "exec('rm -rf /')", "deny", "m");
        assertThat(unknownFunction.code()).isEqualTo("policy.invalid");
        Api.Response badGate = putPolicy("broken", "everywhere", "true", "deny", "m");
        assertThat(badGate.code()).isEqualTo("policy.invalid");
        assertThat(badGate.body()).contains("gate");
        Api.Response badEffect = putPolicy("broken", "deploy", "true", "shrug", "m");
        assertThat(badEffect.code()).isEqualTo("policy.invalid");
        Api.Response badId = putPolicy("Not_A_Name", "deploy", "true", "deny", "m");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(api.get(base() + "/policies/broken", fx.token(admin)).status()).isEqualTo(404);
        assertThat(api.put(base() + "/policy-settings", fx.token(admin), Map.of("minAccuracy", 2)).code())
                .isEqualTo("policy.invalid");
    }

    @Test
    void platformPoliciesBindTenantsWhoCannotChangeThemAndOnlyAdminsManagePolicies() {
        String platformPolicy = "/api/v1/policies/no-trees-for-" + tenant;
        Api.Response saved = api.put(platformPolicy, fx.adminToken(), Map.of("gate", "train",
                "expression", "input.tenant.id != '" + tenant + "' || input.job.algorithm != 'gradient-boosted-trees'",
                "message", "Tree ensembles need a review first."));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
        try {
            assertThat(api.postRaw(base() + "/datasets/visits/versions", fx.token(scientist), "text/csv",
                    ClinicalRecords.csv(120, 4)).status()).isEqualTo(201);
            Api.Response refused = train("visits", 1, List.of("age", "glucose"), "gradient-boosted-trees");
            assertThat(refused.code()).as(refused.toString()).isEqualTo("policy.denied");
            assertThat(refused.json().path("detail").asString()).contains("no-trees-for-" + tenant);

            JsonNode inForce = api.get(base() + "/policies", fx.token(admin)).json();
            assertThat(inForce.toString()).contains("no-trees-for-" + tenant).contains("signed-approved-deploy");
            assertThat(api.delete(base() + "/policies/no-trees-for-" + tenant, fx.token(admin)).status())
                    .as("a tenant cannot remove a platform policy").isEqualTo(404);
            assertThat(api.put(platformPolicy, fx.token(admin), Map.of("gate", "train", "expression", "true",
                    "message", "m")).status()).as("nor change it").isEqualTo(403);

            Fixtures.User auditor = fx.member(tenant, "auditor");
            assertThat(api.get(base() + "/policies", fx.token(auditor)).status()).isEqualTo(200);
            assertThat(putPolicy("x", "train", "true", "deny", "m").status()).isEqualTo(201);
            assertThat(api.put(base() + "/policies/y", fx.token(auditor), Map.of("gate", "train", "expression", "true",
                    "message", "m")).status()).as("auditors read, never write").isEqualTo(403);
            assertThat(api.put(base() + "/policies/y", fx.token(scientist), Map.of("gate", "train", "expression", "true",
                    "message", "m")).status()).isEqualTo(403);
        } finally {
            assertThat(api.delete(platformPolicy, fx.adminToken()).status()).isEqualTo(204);
        }
        assertThat(api.get(platformPolicy, fx.adminToken()).status()).isEqualTo(404);
    }

    @Test
    void aPlatformAdministratorCanDisableABuiltInPolicyAndResetIt() {
        String builtIn = "/api/v1/policies/raw-scores-need-exception";
        JsonNode original = api.get(builtIn, fx.adminToken()).json();
        assertThat(original.path("builtIn").asBoolean()).isTrue();
        assertThat(original.path("enabled").asBoolean()).isTrue();
        Api.Response disabled = api.put(builtIn, fx.adminToken(), Map.of("gate", "deploy",
                "expression", original.path("expression").asString(), "message", original.path("message").asString(),
                "enabled", false));
        try {
            assertThat(disabled.status()).as(disabled.toString()).isEqualTo(201);
            assertThat(api.get(builtIn, fx.adminToken()).json().path("enabled").asBoolean()).isFalse();
        } finally {
            assertThat(api.delete(builtIn, fx.adminToken()).status()).isEqualTo(204);
        }
        JsonNode reset = api.get(builtIn, fx.adminToken()).json();
        assertThat(reset.path("enabled").asBoolean()).isTrue();
        assertThat(reset.path("builtIn").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/policies", fx.token(admin)).status()).as("tenant admins are not platform admins")
                .isEqualTo(403);
    }

    @Test
    void anotherTenantsPrincipalGets404OnEveryPolicyEndpoint() {
        assertThat(putPolicy("mine", "train", "true", "deny", "m").status()).isEqualTo(201);
        String other = fx.createTenant("policy-other");
        String outsider = fx.token(fx.member(other, "tenant-admin"));
        assertThat(api.get(base() + "/policies", outsider).status()).isEqualTo(404);
        assertThat(api.get(base() + "/policies/mine", outsider).status()).isEqualTo(404);
        assertThat(api.put(base() + "/policies/mine", outsider, Map.of("gate", "train", "expression", "false",
                "message", "m")).status()).isEqualTo(404);
        assertThat(api.delete(base() + "/policies/mine", outsider).status()).isEqualTo(404);
        assertThat(api.post(base() + "/policies/evaluation", outsider, Map.of("id", "mine", "input", Map.of()))
                .status()).isEqualTo(404);
        assertThat(api.get(base() + "/policy-inputs", outsider).status()).isEqualTo(404);
        assertThat(api.get(base() + "/policy-settings", outsider).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/tenants/" + other + "/policies/mine", outsider).code())
                .as("policies are per tenant").isEqualTo("policy.not_found");
        assertThat(api.get(base() + "/policies/mine", fx.token(admin)).json().path("expression").asString())
                .as("the owner's policy is untouched").isEqualTo("true");
    }
}
