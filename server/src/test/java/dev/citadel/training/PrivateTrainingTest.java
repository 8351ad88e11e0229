package dev.citadel.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.citadel.registry.InputSchema;

/** DP-SGD through the fitter, without Spring: the model, its schema and its privacy lineage. */
class PrivateTrainingTest {

    private static final List<String> FEATURES = List.of("age", "prior_admissions", "glucose", "diagnosis", "sex");
    private static final TrainingRequest.Privacy PRIVACY = new TrainingRequest.Privacy(3.0, null, null, null,
            Map.of("age", List.of(0.0, 120.0), "prior_admissions", List.of(0.0, 10.0), "glucose", List.of(40.0, 300.0),
                    "length_of_stay", List.of(0.0, 30.0)),
            Map.of("diagnosis", List.of("asthma", "copd", "diabetes", "healthy", "hypertension", "unknown")));

    @Test
    void privateLogisticRegressionIsNearlyAsAccurateAsTheNonPrivateOne() {
        TrainingTable table = table("readmitted", "boolean");
        ModelFitter.Fitted plain = fit(table, "readmitted", Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, false);
        ModelFitter.Fitted dp = fit(table, "readmitted", Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, true);
        double plainAccuracy = ((Number) plain.metrics().get("accuracy")).doubleValue();
        double dpAccuracy = ((Number) dp.metrics().get("accuracy")).doubleValue();
        assertThat(plainAccuracy).isGreaterThan(0.85);
        assertThat(dpAccuracy).isGreaterThan(plainAccuracy - 0.08);
        assertThat(dp.format()).isEqualTo(plain.format());
        assertThat(dp.privacy()).containsEntry("epsilon", 3.0).containsEntry("mechanism", "dp-sgd")
                .containsKeys("sigma", "delta", "clip", "samplingRate", "steps", "accountant");
        assertThat((double) dp.privacy().get("epsilonAccounted")).isLessThanOrEqualTo(3.0);
        assertThat(plain.privacy()).isNull();
    }

    @Test
    void privateEncodingUsesDeclaredBoundsAndCategoriesOnly() {
        TrainingTable table = table("readmitted", "boolean");
        ModelFitter.Fitted dp = fit(table, "readmitted", Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, true);
        InputSchema.Feature age = dp.features().stream().filter(f -> f.name().equals("age")).findFirst().orElseThrow();
        assertThat(age.mean()).isEqualTo(60.0);
        assertThat(age.std()).isEqualTo(60.0);
        InputSchema.Feature diagnosis = dp.features().stream().filter(f -> f.name().equals("diagnosis")).findFirst()
                .orElseThrow();
        // "unknown" never occurs in the data: the vocabulary is the declared one
        assertThat(diagnosis.categories()).contains("unknown");
        assertThat(dp.vector()).contains("diagnosis=unknown", "sex=true", "sex=false");
    }

    @Test
    void privateLinearRegressionLearnsTheTrend() {
        TrainingTable table = table("length_of_stay", "decimal");
        ModelFitter.Fitted dp = fit(table, "length_of_stay", Task.REGRESSION, Algorithm.LINEAR_REGRESSION, true);
        assertThat(dp.privacy()).containsKeys("sigma", "steps");
        assertThat(((Number) dp.metrics().get("r2")).doubleValue()).isGreaterThan(0.5);
        // the membership-inference report of a DP regressor: squared-error losses, and the bound at the accounted ε
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) dp.metrics().get("membershipInference");
        assertThat(report).containsEntry("loss", "squared-error").containsEntry("members", 800)
                .containsEntry("nonMembers", 800);
        @SuppressWarnings("unchecked")
        Map<String, Object> bound = (Map<String, Object>) report.get("dpBound");
        assertThat(bound).containsEntry("epsilon", dp.privacy().get("epsilonAccounted"));
        assertThat((double) report.get("advantage"))
                .isLessThanOrEqualTo((double) bound.get("advantage") + MembershipInference.margin(800, 800, 0.9999));
    }

    private static TrainingTable table(String target, String targetType) {
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("age", "integer");
        wanted.put("prior_admissions", "integer");
        wanted.put("glucose", "decimal");
        wanted.put("diagnosis", "categorical");
        wanted.put("sex", "boolean");
        wanted.put(target, targetType);
        String csv = ClinicalRecords.csv(4000, 5).replace(",F,", ",true,").replace(",M,", ",false,");
        return TrainingTable.load(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), wanted, 4000, rows -> {});
    }

    private static ModelFitter.Fitted fit(TrainingTable table, String target, Task task, Algorithm algorithm,
            boolean dp) {
        Map<String, Number> params = algorithm.resolve(Map.of("epochs", 5), new java.util.ArrayList<>());
        PrivateTraining.Settings settings = dp ? PrivateTraining.Settings.of(PRIVACY, params, table.rows()) : null;
        ModelFitter.Spec spec = new ModelFitter.Spec(FEATURES, target, task == Task.CLASSIFICATION ? "boolean" : "decimal",
                task, algorithm, params, 42, 0.2, Map.of(), Set.of(), 1, dp ? PRIVACY : null, settings);
        return ModelFitter.fit(table, spec, (phase, percent) -> {}, () -> false).orElseThrow();
    }
}
