package dev.citadel.monitoring.bias;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.citadel.training.Algorithm;
import dev.citadel.training.OfflineTraining;
import dev.citadel.training.Task;

/**
 * The held-out rows a bias report evaluates are the rows a training job held out, also when some
 * rows have no target value (a job drops them before its split).
 */
class HeldOutRowsTest {

    @Test
    void rowsWithoutATargetAreLeftOutBeforeTheSplitExactlyAsATrainingJobDoes() throws Exception {
        String csv = withoutTargetEvery(7, new LoanApplications(300, 9, false).csv());
        boolean[] hasTarget = EvaluationRows.targets(stream(csv), "approved", rows -> {});
        assertThat(hasTarget).hasSize(300);
        for (int row = 0; row < hasTarget.length; row++) {
            assertThat(hasTarget[row]).as("row %d", row).isEqualTo(row % 7 != 0);
        }

        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("income", "decimal");
        columns.put("years_employed", "integer");
        columns.put("approved", "boolean");
        OfflineTraining.Result trained = OfflineTraining.train(stream(csv), new OfflineTraining.Request(columns, "approved",
                Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, Map.of(), 42, 0.2), (phase, percent) -> {});

        boolean[] held = OfflineTraining.heldOut(hasTarget, 0.2, 42);
        int heldRows = 0;
        for (int row = 0; row < held.length; row++) {
            if (held[row]) {
                heldRows++;
                assertThat(hasTarget[row]).as("a held-out row has a target").isTrue();
            }
        }
        assertThat(heldRows).isEqualTo(trained.testRows());
        assertThat(trained.trainRows() + trained.testRows()).isEqualTo(300 - 43);
        assertThat(OfflineTraining.heldOut(hasTarget, 0.2, 43)).as("another seed, other rows").isNotEqualTo(held);
    }

    @Test
    void withEveryTargetPresentTheRuleIsTheBenchmarksRule() {
        boolean[] every = new boolean[500];
        java.util.Arrays.fill(every, true);
        assertThat(OfflineTraining.heldOut(every, 0.2, 42)).isEqualTo(OfflineTraining.heldOut(500, 0.2, 42));
    }

    /** Blanks the target (last) cell of every {@code n}th data row, starting with the first. */
    private static String withoutTargetEvery(int n, String csv) {
        String[] lines = csv.split("\n");
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            out.append((i - 1) % n == 0 ? line.substring(0, line.lastIndexOf(',') + 1) : line).append('\n');
        }
        return out.toString();
    }

    private static ByteArrayInputStream stream(String csv) {
        return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
    }
}
