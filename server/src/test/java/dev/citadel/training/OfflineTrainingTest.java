package dev.citadel.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import ai.onnx.proto.OnnxMl;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/** The facade benchmarks use: the job's own code on a CSV stream, without jobs, tenants or registry. */
class OfflineTrainingTest {

    private static final byte[] CSV = ClinicalRecords.csv(800, 7).getBytes(StandardCharsets.UTF_8);

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("age", "integer");
        columns.put("sex", "categorical");
        columns.put("ward", "categorical");
        columns.put("diagnosis", "categorical");
        columns.put("glucose", "decimal");
        columns.put("bmi", "decimal");
        columns.put("prior_admissions", "integer");
        columns.put("readmitted", "boolean");
        return columns;
    }

    private static OfflineTraining.Result train(Algorithm algorithm, Map<String, Object> params) {
        return OfflineTraining.train(new ByteArrayInputStream(CSV), new OfflineTraining.Request(columns(), "readmitted",
                Task.CLASSIFICATION, algorithm, params, 42, 0.2), (phase, percent) -> {});
    }

    @Test
    void trainsEachClassifierWithTheJobsCodeAndTimesEachStep() throws Exception {
        List<String> phases = new ArrayList<>();
        OfflineTraining.Result linear = OfflineTraining.train(new ByteArrayInputStream(CSV), new OfflineTraining.Request(
                columns(), "readmitted", Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, Map.of(), 42, 0.2),
                (phase, percent) -> phases.add(phase + " " + percent));
        assertThat(phases).containsExactly("loading data 2", "training 35", "evaluating 80", "membership-inference audit 85");
        assertThat(linear.trainRows()).isEqualTo(640);
        assertThat(linear.testRows()).isEqualTo(160);
        assertThat(linear.metrics().get("testRows")).isEqualTo(160);
        assertThat((Double) linear.metrics().get("rocAuc")).isGreaterThan(0.8);
        assertThat(linear.metrics().get("positiveLabel")).isEqualTo("true");
        assertThat(linear.format()).isEqualTo("onnx");
        assertThat(OnnxMl.ModelProto.parseFrom(linear.artifact()).getGraph().getNodeCount()).isPositive();
        assertThat(linear.vector()).contains("age", "glucose", "sex=F", "diagnosis=copd").doesNotContain("readmitted");
        assertThat(linear.params()).containsKeys("epochs", "learningRate", "minibatchSize");
        assertThat(List.of(linear.timings().load(), linear.timings().encode(), linear.timings().fit(),
                linear.timings().evaluate(), linear.timings().export())).allSatisfy(d -> assertThat(d).isPositive());

        OfflineTraining.Result trees = train(Algorithm.GRADIENT_BOOSTED_TREES, Map.of("trees", 20));
        assertThat(trees.format()).isEqualTo("tribuo-protobuf");
        assertThat((Double) trees.metrics().get("rocAuc")).isGreaterThan(0.8);
        assertThat(trees.params().get("trees")).isEqualTo(20L);
    }

    @Test
    void heldOutNamesTheRowsAJobWithThatSeedHoldsOut() {
        boolean[] held = OfflineTraining.heldOut(800, 0.2, 42);
        int[] expected = ModelFitter.split(IntStream.range(0, 800).toArray(), 0.2, 42)[1];
        assertThat(IntStream.range(0, 800).filter(row -> held[row]).toArray()).isEqualTo(expected).hasSize(160);
        assertThat(OfflineTraining.heldOut(800, 0.2, 43)).isNotEqualTo(held);
    }

    @Test
    void refusesWhatAJobWouldRefuse() {
        Map<String, String> columns = columns();
        columns.put("notes", "text");
        assertThatThrownBy(() -> OfflineTraining.train(new ByteArrayInputStream(CSV), new OfflineTraining.Request(columns,
                "readmitted", Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, Map.of("epochs", 0, "depth", 3), 42,
                0.7), (phase, percent) -> {}))
                .isInstanceOfSatisfying(CitadelException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TRAINING_INVALID);
                    assertThat(e.fieldProblems()).extracting(CitadelException.FieldProblem::field)
                            .containsExactlyInAnyOrder("columns.notes", "params.epochs", "params.depth", "testFraction");
                });
        assertThatThrownBy(() -> OfflineTraining.train(new ByteArrayInputStream(CSV), new OfflineTraining.Request(columns(),
                "ward", Task.REGRESSION, Algorithm.LOGISTIC_REGRESSION, Map.of(), 42, 0.2), (phase, percent) -> {}))
                .isInstanceOfSatisfying(CitadelException.class, e -> assertThat(e.fieldProblems())
                        .extracting(CitadelException.FieldProblem::field).containsExactlyInAnyOrder("target", "algorithm"));
    }
}
