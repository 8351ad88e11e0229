package dev.citadel.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.onnx.proto.OnnxMl;
import dev.citadel.platform.TenantId;
import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Training and the registry end to end over HTTPS: train each algorithm on an uploaded clinical
 * extract, poll to success, read metrics, lineage and the signature; four-eyes approval; tampering
 * with the stored artifact or the signed manifest; validation; the sensitive-data gate; the
 * per-tenant concurrency quota and cancellation; and another tenant seeing nothing.
 */
class TrainingTest extends IntegrationTest {

    private String tenant;
    private Fixtures.User scientist;
    private Fixtures.User engineer;
    private Fixtures.User reviewer;

    @BeforeEach
    void hospital() {
        tenant = fx.createTenant("clinic");
        scientist = fx.member(tenant, "data-scientist");
        engineer = fx.member(tenant, "ml-engineer");
        reviewer = fx.member(tenant, "ml-engineer");
        Api.Response upload = api.postRaw(base() + "/datasets/admissions/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(800, 7));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
    }

    @Test
    void aClassifierTrainsToSuccessWithMetricsLineageAndAVerifiedSignature() {
        for (String algorithm : List.of("logistic-regression", "gradient-boosted-trees")) {
            JsonNode job = trainToSuccess(scientist, "readmission-" + algorithm.charAt(0), Map.of("algorithm", algorithm,
                    "task", "classification", "target", "readmitted"));
            JsonNode metrics = job.path("metrics");
            assertThat(metrics.path("testRows").asInt()).isEqualTo(160);
            assertThat(metrics.path("accuracy").asDouble()).as(algorithm).isGreaterThan(0.75);
            assertThat(metrics.path("rocAuc").asDouble()).as(algorithm).isGreaterThan(0.8);
            assertThat(metrics.path("positiveLabel").asString()).isEqualTo("true");
            assertThat(metrics.path("perClass").path("true").path("f1").asDouble()).isGreaterThan(0.5);
            assertThat(metrics.path("macro").path("f1").asDouble()).isGreaterThan(0.5);
            long cells = 0;
            for (JsonNode row : metrics.path("confusionMatrix").path("counts")) {
                for (JsonNode cell : row) {
                    cells += cell.asLong();
                }
            }
            assertThat(cells).isEqualTo(160);
            JsonNode attack = metrics.path("membershipInference");
            assertThat(attack.path("loss").asString()).isEqualTo("cross-entropy");
            assertThat(attack.path("members").asInt()).isEqualTo(160);
            assertThat(attack.path("nonMembers").asInt()).isEqualTo(160);
            assertThat(attack.path("advantage").asDouble()).as(algorithm).isBetween(0.0, 1.0);
            assertThat(attack.path("tprAt1PctFpr").isNumber()).as("160 held-out rows are enough for 1% FPR").isTrue();
            assertThat(attack.has("dpBound")).isFalse();
            assertThat(job.path("percent").asInt()).isEqualTo(100);
            assertThat(job.path("durationMillis").isNumber()).as("timings are shown").isTrue();

            String model = job.path("modelVersion").path("model").asString();
            JsonNode version = api.get(base() + "/models/" + model + "/versions/1", fx.token(scientist)).json();
            assertThat(version.path("stage").asString()).isEqualTo("candidate");
            assertThat(version.path("format").asString())
                    .isEqualTo(algorithm.equals("logistic-regression") ? "onnx" : "tribuo-protobuf");
            assertThat(version.path("signature").path("algorithm").asString()).isEqualTo("Ed25519");
            assertThat(version.path("signature").path("verified").asBoolean()).isTrue();
            assertThat(version.path("artifact").path("sha256").asString()).matches("[0-9a-f]{64}");

            List<String> features = new ArrayList<>();
            version.path("inputSchema").path("features").forEach(f -> features.add(f.path("name").asString()));
            assertThat(features).contains("age", "sex", "ward", "diagnosis", "glucose", "bmi", "prior_admissions")
                    .doesNotContain("readmitted", "full_name", "ssn", "email", "notes", "patient_id");
            assertThat(version.path("inputSchema").path("target").path("labels").toString()).contains("true", "false");

            JsonNode lineage = version.path("lineage");
            String datasetSha = api.get(base() + "/datasets/admissions/versions/1", fx.token(scientist)).json()
                    .path("sha256").asString();
            assertThat(lineage.path("dataset").path("sha256").asString()).isEqualTo(datasetSha);
            assertThat(lineage.path("dataset").path("version").asInt()).isEqualTo(1);
            assertThat(lineage.path("training").path("algorithm").asString()).isEqualTo(algorithm);
            assertThat(lineage.path("training").path("params").size()).isPositive();
            assertThat(lineage.path("libraries").path("tribuo").asString()).isEqualTo("4.3.2");
            // the build's SBOM: its component list's digest, recomputed here from the SBOM itself
            JsonNode sbom = lineage.path("sbom");
            assertThat(sbom.path("format").asString()).startsWith("CycloneDX 1.");
            assertThat(sbom.path("componentsSha256").asString()).isEqualTo(BuildSbomTest.componentsDigestOfTheBuiltSbom());
            assertThat(sbom.path("libraries").path("tribuo").asString()).isEqualTo("4.3.2");
            assertThat(sbom.path("libraries").path("xgboost4j").asString()).isEqualTo("1.6.2");
            assertThat(sbom.path("libraries").path("onnxruntime").asString()).isEqualTo("1.28.0");
            assertThat(lineage.path("citadel").path("version").asString()).isNotBlank();
            assertThat(lineage.path("citadel").path("commit").asString()).isNotBlank();
            assertThat(lineage.path("job").path("id").asString()).isEqualTo(job.path("id").asString());
            assertThat(lineage.path("job").path("startedBy").asString()).isEqualTo(version.path("createdBy").asString());
        }
    }

    @Test
    void regressionModelsReportErrorMetrics() {
        for (String algorithm : List.of("linear-regression", "gradient-boosted-trees")) {
            JsonNode job = trainToSuccess(scientist, "stay-" + algorithm.charAt(0), Map.of("algorithm", algorithm,
                    "task", "regression", "target", "length_of_stay"));
            JsonNode metrics = job.path("metrics");
            assertThat(metrics.path("r2").asDouble()).as(algorithm).isGreaterThan(0.6);
            assertThat(metrics.path("rmse").asDouble()).as(algorithm).isBetween(0.3, 2.0);
            assertThat(metrics.path("mae").asDouble()).as(algorithm).isLessThan(metrics.path("rmse").asDouble());
            JsonNode attack = metrics.path("membershipInference");
            assertThat(attack.path("loss").asString()).isEqualTo("squared-error");
            assertThat(attack.path("members").asInt()).isEqualTo(160);
            assertThat(attack.path("advantage").asDouble()).as(algorithm).isBetween(0.0, 1.0);
        }
    }

    @Test
    void theSameSeedDataAndParametersGiveTheSameModelAndMetrics() {
        Map<String, Object> request = Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted", "seed", 11, "params", Map.of("epochs", 3));
        JsonNode first = trainToSuccess(scientist, "repeat", request);
        JsonNode second = trainToSuccess(scientist, "repeat", request);
        // the metrics include the membership-inference report: its sample is seeded from the job too
        assertThat(second.path("metrics")).isEqualTo(first.path("metrics"));
        assertThat(second.path("metrics").has("membershipInference")).isTrue();
        assertThat(weights("repeat", 2)).isEqualTo(weights("repeat", 1));

        JsonNode gbtFirst = trainToSuccess(scientist, "repeat-gbt", Map.of("algorithm", "gradient-boosted-trees",
                "task", "classification", "target", "readmitted", "seed", 11, "params", Map.of("trees", 30)));
        JsonNode gbtSecond = trainToSuccess(scientist, "repeat-gbt", Map.of("algorithm", "gradient-boosted-trees",
                "task", "classification", "target", "readmitted", "seed", 11, "params", Map.of("trees", 30)));
        assertThat(gbtSecond.path("metrics")).isEqualTo(gbtFirst.path("metrics"));

        JsonNode otherSeed = trainToSuccess(scientist, "repeat", Map.of("algorithm", "logistic-regression",
                "task", "classification", "target", "readmitted", "seed", 12, "params", Map.of("epochs", 3)));
        assertThat(otherSeed.path("metrics")).as("another seed, another split").isNotEqualTo(first.path("metrics"));
    }

    @Test
    void anExportedModelVerifiesOfflineRunsInOnnxRuntimeAndSurvivesKeyRotation() throws Exception {
        trainToSuccess(scientist, "portable", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted"));
        String v1 = base() + "/models/portable/versions/1";
        String keys = api.get(base() + "/signing-keys", fx.token(scientist)).body();
        assertThat(api.get(v1 + "/manifest", fx.token(scientist)).status())
                .as("the full manifest is for those who may export the model").isEqualTo(403);
        JsonNode signed = api.get(v1 + "/manifest", fx.token(engineer)).json();
        byte[] artifact = api.getBytes(v1 + "/artifact", fx.token(engineer));

        // what a third party does with the three downloads and Tink alone
        com.google.crypto.tink.signature.SignatureConfig.register();
        com.google.crypto.tink.PublicKeyVerify verifier = com.google.crypto.tink.TinkJsonProtoKeysetFormat
                .parseKeysetWithoutSecret(keys).getPrimitive(com.google.crypto.tink.RegistryConfiguration.get(),
                        com.google.crypto.tink.PublicKeyVerify.class);
        byte[] manifest = signed.path("manifest").asString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        verifier.verify(java.util.Base64.getDecoder().decode(signed.path("signature").asString()), manifest);
        JsonNode parsed = Api.JSON.readTree(manifest);
        assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(artifact)))
                .isEqualTo(parsed.path("artifact").path("sha256").asString());
        byte[] forged = manifest.clone();
        forged[forged.length - 2] ^= 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifier.verify(
                java.util.Base64.getDecoder().decode(signed.path("signature").asString()), forged))
                .isInstanceOf(java.security.GeneralSecurityException.class);

        // the artifact is a real ONNX model over the recorded input vector
        int width = parsed.path("inputSchema").path("vector").size();
        try (ai.onnxruntime.OrtSession session = ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(artifact,
                new ai.onnxruntime.OrtSession.SessionOptions());
                ai.onnxruntime.OnnxTensor input = ai.onnxruntime.OnnxTensor.createTensor(
                        ai.onnxruntime.OrtEnvironment.getEnvironment(), new float[][] {new float[width]});
                ai.onnxruntime.OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(),
                        input))) {
            float[][] scores = (float[][]) result.get(0).getValue();
            assertThat(scores[0]).hasSize(2);
            assertThat(scores[0][0] + scores[0][1]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        }

        Fixtures.User admin = fx.member(tenant, "tenant-admin");
        assertThat(api.post(base() + "/keys/rotation", fx.token(admin), Map.of()).status()).isIn(200, 202);
        trainToSuccess(scientist, "portable", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted", "seed", 5));
        JsonNode old = api.get(v1, fx.token(scientist)).json();
        JsonNode fresh = api.get(base() + "/models/portable/versions/2", fx.token(scientist)).json();
        assertThat(old.path("signature").path("verified").asBoolean()).as("old keys still verify").isTrue();
        assertThat(fresh.path("signature").path("verified").asBoolean()).isTrue();
        assertThat(fresh.path("signature").path("keyId").asLong()).isNotEqualTo(old.path("signature").path("keyId").asLong());
    }

    @Test
    void approvalNeedsASecondPersonAndAReason() {
        trainToSuccess(engineer, "triage", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted"));
        String approval = base() + "/models/triage/versions/1/approval";

        Api.Response own = api.post(approval, fx.token(engineer), Map.of("reason", "looks good to me"));
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.code()).isEqualTo("model.four_eyes");
        assertThat(api.post(approval, fx.token(scientist), Map.of("reason", "x")).status())
                .as("data scientists cannot approve").isEqualTo(403);
        Api.Response noReason = api.post(approval, fx.token(reviewer), Map.of());
        assertThat(noReason.status()).isEqualTo(400);

        Api.Response approved = api.post(approval, fx.token(reviewer), Map.of("reason", "AUC 0.9 on held-out data"));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().path("stage").asString()).isEqualTo("approved");
        assertThat(approved.json().path("approval").path("reason").asString()).isEqualTo("AUC 0.9 on held-out data");

        Api.Response again = api.post(approval, fx.token(reviewer), Map.of("reason", "again"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("model.stage_conflict");

        List<String> actions = audit.latest(new TenantId(tenant), 40).stream().map(e -> (String) e.get("action")).toList();
        assertThat(actions).contains("model.version.approve", "training.submit", "training.complete",
                "model.version.register");

        Api.Response archived = api.post(base() + "/models/triage/versions/1/archival", fx.token(reviewer), Map.of());
        assertThat(archived.json().path("stage").asString()).isEqualTo("archived");
    }

    @Test
    void aTamperedArtifactOrManifestFailsVerification() throws IOException {
        trainToSuccess(scientist, "tamper", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted"));
        trainToSuccess(scientist, "tamper", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted", "seed", 3));
        String v1 = base() + "/models/tamper/versions/1";
        assertThat(api.get(v1 + "/artifact", fx.token(engineer)).status()).isEqualTo(200);

        Path blob = modelBlob("v1");
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(blob, bytes);

        JsonNode version = api.get(v1, fx.token(scientist)).json();
        assertThat(version.path("signature").path("verified").asBoolean()).isFalse();
        Api.Response artifact = api.get(v1 + "/artifact", fx.token(engineer));
        assertThat(artifact.status()).isEqualTo(409);
        assertThat(artifact.code()).isEqualTo("model.integrity_failed");
        Api.Response approval = api.post(v1 + "/approval", fx.token(reviewer), Map.of("reason", "ship it"));
        assertThat(approval.code()).isEqualTo("model.integrity_failed");
        List<String> actions = audit.latest(new TenantId(tenant), 30).stream().map(e -> (String) e.get("action")).toList();
        assertThat(actions).contains("security.model_integrity_failure");

        String v2 = base() + "/models/tamper/versions/2";
        assertThat(api.get(v2, fx.token(scientist)).json().path("signature").path("verified").asBoolean()).isTrue();
        transactions.inTenant(new TenantId(tenant), () -> jdbc.sql("""
                update model_versions set manifest = replace(manifest, '"task":"classification"', '"task":"regression"')
                where tenant_id = ? and version = 2""").param(tenant).update());
        assertThat(api.get(v2, fx.token(scientist)).json().path("signature").path("verified").asBoolean()).isFalse();
        assertThat(api.get(v2 + "/artifact", fx.token(engineer)).code()).isEqualTo("model.integrity_failed");
    }

    @Test
    void badRequestsAreRefusedWithTheFieldAndNothingIsQueued() {
        Map<String, Map<String, Object>> cases = new java.util.LinkedHashMap<>();
        cases.put("algorithm", Map.of("algorithm", "random-forest", "task", "classification", "target", "readmitted"));
        cases.put("algorithm ", Map.of("algorithm", "linear-regression", "task", "classification", "target", "readmitted"));
        cases.put("task", Map.of("algorithm", "logistic-regression", "task", "clustering", "target", "readmitted"));
        cases.put("params.depth", Map.of("algorithm", "gradient-boosted-trees", "task", "classification",
                "target", "readmitted", "params", Map.of("depth", 3)));
        cases.put("params.trees", Map.of("algorithm", "gradient-boosted-trees", "task", "classification",
                "target", "readmitted", "params", Map.of("trees", 0)));
        cases.put("params.epochs", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted", "params", Map.of("epochs", 2.5)));
        cases.put("target", Map.of("algorithm", "logistic-regression", "task", "classification", "target", "nope"));
        cases.put("target ", Map.of("algorithm", "linear-regression", "task", "regression", "target", "ward"));
        cases.put("features", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted", "features", List.of("age", "no_such_column")));
        cases.put("features ", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted", "features", List.of("readmitted")));
        cases.put("testFraction", Map.of("algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted", "testFraction", 0.9));
        cases.put("model", Map.of("model", "../etc", "algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted"));
        cases.forEach((field, body) -> {
            Map<String, Object> request = new java.util.HashMap<>(Map.of("model", "bad", "dataset", "admissions",
                    "version", 1));
            request.putAll(body);
            Api.Response response = api.post(base() + "/training-jobs", fx.token(scientist), request);
            assertThat(response.status()).as(field + " " + response).isEqualTo(400);
            assertThat(response.code()).isEqualTo("training.invalid");
            assertThat(response.body()).as(field).contains("\"" + field.strip() + "\"");
        });
        Api.Response missingDataset = api.post(base() + "/training-jobs", fx.token(scientist), Map.of("model", "m",
                "dataset", "nothing-here", "version", 1, "algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted"));
        assertThat(missingDataset.code()).isEqualTo("dataset.not_found");
        Api.Response missingVersion = api.post(base() + "/training-jobs", fx.token(scientist), Map.of("model", "m",
                "dataset", "admissions", "version", 9, "algorithm", "logistic-regression", "task", "classification",
                "target", "readmitted"));
        assertThat(missingVersion.code()).isEqualTo("dataset.version_not_found");
        assertThat(api.post(base() + "/training-jobs", fx.token(scientist), "not json").status()).isEqualTo(400);
        assertThat(api.get(base() + "/training-jobs", fx.token(scientist)).json().size()).isZero();
    }

    @Test
    void identifiersKeptUnprotectedNeedAnExplicitAllowanceFromADataSteward() {
        Fixtures.User steward = fx.member(tenant, "data-steward");
        Fixtures.User stewardScientist = fx.member(tenant, "data-scientist", "data-steward");
        assertThat(api.put(base() + "/datasets/kept/privacy", fx.token(steward), Map.of("columns", Map.of("ssn", "keep")))
                .status()).isEqualTo(200);
        Api.Response upload = api.postRaw(base() + "/datasets/kept/versions", fx.token(steward), "text/csv",
                ClinicalRecords.csv(200, 3));
        assertThat(upload.json().path("keptSensitive").toString()).contains("ssn");
        Map<String, Object> request = new java.util.HashMap<>(Map.of("model", "kept-model", "dataset", "kept",
                "version", 1, "algorithm", "logistic-regression", "task", "classification", "target", "readmitted"));

        Api.Response refused = api.post(base() + "/training-jobs", fx.token(scientist), request);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("training.sensitive_data");
        assertThat(refused.body()).contains("ssn");

        request.put("allowSensitive", true);
        Api.Response notSteward = api.post(base() + "/training-jobs", fx.token(scientist), request);
        assertThat(notSteward.status()).isEqualTo(403);
        assertThat(notSteward.code()).isEqualTo("access.denied");

        Api.Response allowed = api.post(base() + "/training-jobs", fx.token(stewardScientist), request);
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(202);
        await(allowed.json().path("id").asString(), stewardScientist);
        List<String> actions = audit.latest(new TenantId(tenant), 30).stream().map(e -> (String) e.get("action")).toList();
        assertThat(actions).contains("training.allow-sensitive");
    }

    @Test
    void aTenantRunsAtMostItsQuotaOfJobsAndAQueuedJobCanBeCancelled() {
        tenant = Fixtures.unique("free");
        Api.Response created = api.post("/api/v1/tenants", fx.adminToken(), Api.json("id", tenant, "name", "Free clinic",
                "region", "eu-west-1", "plan", "free"));
        assertThat(created.json().path("quotas").path("trainingConcurrency").asInt()).isEqualTo(1);
        fx.grant(tenant, scientist, "data-scientist");
        assertThat(api.postRaw(base() + "/datasets/admissions/versions", fx.token(scientist), "text/csv",
                ClinicalRecords.csv(800, 7)).status()).isEqualTo(201);
        Api.Response slow = submit(scientist, "slow", Map.of("algorithm", "gradient-boosted-trees",
                "task", "classification", "target", "readmitted", "params", Map.of("trees", 1500, "maxDepth", 12,
                        "learningRate", 0.01)));
        Api.Response waiting = submit(scientist, "waiting", Map.of("algorithm", "logistic-regression",
                "task", "classification", "target", "readmitted"));
        String waitingJob = waiting.json().path("id").asString();
        Api.Response cancelled = api.post(base() + "/training-jobs/" + waitingJob + "/cancellation", fx.token(scientist),
                Map.of());
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("state").asString()).as("held back by the quota of 1").isEqualTo("cancelled");

        JsonNode done = await(slow.json().path("id").asString(), scientist);
        assertThat(done.path("state").asString()).isEqualTo("succeeded");
        assertThat(api.get(base() + "/training-jobs/" + waitingJob, fx.token(scientist)).json().path("state").asString())
                .isEqualTo("cancelled");
        assertThat(api.get(base() + "/models/waiting", fx.token(scientist)).status()).isEqualTo(404);
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        JsonNode job = trainToSuccess(scientist, "private", Map.of("algorithm", "logistic-regression",
                "task", "classification", "target", "readmitted"));
        String other = fx.createTenant("other-clinic");
        Fixtures.User outsider = fx.member(other, "data-scientist", "ml-engineer", "tenant-admin");
        String token = fx.token(outsider);
        String id = job.path("id").asString();
        for (String path : List.of("/training-jobs/" + id, "/models", "/models/private", "/models/private/versions",
                "/models/private/versions/1", "/models/private/versions/1/manifest", "/models/private/versions/1/artifact",
                "/signing-keys")) {
            Api.Response response = api.get(base() + path, token);
            assertThat(response.status()).as(path).isEqualTo(404);
        }
        assertThat(api.post(base() + "/models/private/versions/1/approval", token, Map.of("reason", "x")).status())
                .isEqualTo(404);
        assertThat(api.post(base() + "/training-jobs/" + id + "/cancellation", token, Map.of()).status()).isEqualTo(404);
        assertThat(api.post(base() + "/training-jobs", token, Map.of("model", "m", "dataset", "admissions", "version", 1,
                "algorithm", "logistic-regression", "task", "classification", "target", "readmitted")).status())
                .isEqualTo(404);
        String ownBase = "/api/v1/tenants/" + other;
        assertThat(api.get(ownBase + "/training-jobs/" + id, token).code()).isEqualTo("training.job_not_found");
        assertThat(api.get(ownBase + "/models/private", token).code()).isEqualTo("model.not_found");
        assertThat(api.post(ownBase + "/training-jobs", token, Map.of("model", "m", "dataset", "admissions",
                "version", 1, "algorithm", "logistic-regression", "task", "classification", "target", "readmitted"))
                .code()).isEqualTo("dataset.not_found");
    }

    private String base() {
        return "/api/v1/tenants/" + tenant;
    }

    private Api.Response submit(Fixtures.User user, String model, Map<String, Object> body) {
        Map<String, Object> request = new java.util.HashMap<>(Map.of("model", model, "dataset", "admissions", "version", 1));
        request.putAll(body);
        Api.Response response = api.post(base() + "/training-jobs", fx.token(user), request);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.header("Location")).endsWith("/training-jobs/" + response.json().path("id").asString());
        return response;
    }

    private JsonNode trainToSuccess(Fixtures.User user, String model, Map<String, Object> body) {
        JsonNode job = await(submit(user, model, body).json().path("id").asString(), user);
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("succeeded");
        return job;
    }

    private JsonNode await(String id, Fixtures.User user) {
        return TrainingJobPolling.untilFinished(api, base(), id, fx.token(user));
    }

    /** The initializers (weights) of an ONNX artifact, by name. */
    private Map<String, List<Float>> weights(String model, int version) {
        byte[] onnx = api.getBytes(base() + "/models/" + model + "/versions/" + version + "/artifact",
                fx.token(engineer));
        try {
            Map<String, List<Float>> weights = new java.util.TreeMap<>();
            for (OnnxMl.TensorProto tensor : OnnxMl.ModelProto.parseFrom(onnx).getGraph().getInitializerList()) {
                List<Float> values = new ArrayList<>(tensor.getFloatDataList());
                java.nio.ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
                while (raw.remaining() >= 4) {
                    values.add(raw.getFloat());
                }
                weights.put(tensor.getName(), values);
            }
            assertThat(weights).isNotEmpty();
            return weights;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("artifact is not ONNX", e);
        }
    }

    private Path modelBlob(String version) throws IOException {
        try (Stream<Path> files = Files.walk(DATA_DIR.resolve("blobs/tenants/" + tenant + "/model"))) {
            return files.filter(p -> p.getFileName().toString().equals(version)).findFirst().orElseThrow();
        }
    }
}
