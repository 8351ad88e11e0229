package dev.citadel.training.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DpSgdTest {

    @Test
    void clippingOntoTheGridNeverExceedsTheNormWhateverTheGradient() {
        SplittableRandom data = new SplittableRandom(7);
        long clip = (long) Math.floor(1.0 * (1 << DpSgd.GRID_BITS));
        long[] out = new long[50];
        for (int trial = 0; trial < 2000; trial++) {
            double[] gradient = new double[50];
            double magnitude = Math.pow(10, data.nextInt(-8, 300));
            for (int j = 0; j < gradient.length; j++) {
                gradient[j] = (data.nextDouble() - 0.5) * magnitude;
            }
            if (trial % 100 == 0) {
                gradient[3] = Double.NaN;
            }
            DpSgd.clipOntoGrid(gradient, clip, out);
            long squares = 0;
            for (long v : out) {
                squares += v * v;
            }
            assertThat(squares).isLessThanOrEqualTo(clip * clip);
        }
    }

    @Test
    void noiseOnEachStepHasScaleSigmaTimesClipOverTheBatch() {
        DpSgd.Plan plan = new DpSgd.Plan(100, 10, 1, 2.0, 1, 1e-3, 0.5);
        // zero gradients: one step's update is pure noise, N(0, (σ·C/B)²) per parameter
        double[] weights = DpSgd.train(100, 5000, (row, w, out) -> java.util.Arrays.fill(out, 0), plan, 1.0,
                Seeded.random("noise"));
        double squares = 0;
        for (double w : weights) {
            squares += w * w;
        }
        double expected = 2.0 * 0.5 / 10;
        assertThat(Math.sqrt(squares / weights.length)).isCloseTo(expected, org.assertj.core.data.Offset.offset(
                expected * 0.05));
    }

    @Test
    void logisticRegressionLearnsASeparableProblemAtEpsilonThree() {
        SplittableRandom data = new SplittableRandom(11);
        int n = 4000;
        double[][] x = new double[n][3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = data.nextDouble() * 2 - 1;
            }
            y[i] = x[i][0] - 0.5 * x[i][1] + 0.1 > 0 ? 1 : 0;
        }
        DpSgd.Plan plan = DpSgd.plan(n, 200, 5, 3, 1e-5, 1);
        assertThat(plan.epsilon()).isLessThanOrEqualTo(3);
        assertThat(plan.steps()).isEqualTo(100);
        double[][] w = DpSgd.logistic(x, y, 2, plan, 1.0, Seeded.random("learn"));
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double z0 = w[0][3];
            double z1 = w[1][3];
            for (int j = 0; j < 3; j++) {
                z0 += w[0][j] * x[i][j];
                z1 += w[1][j] * x[i][j];
            }
            correct += (z1 > z0 ? 1 : 0) == y[i] ? 1 : 0;
        }
        assertThat((double) correct / n).isGreaterThan(0.9);
    }

    @Test
    void multiclassSoftmaxLearnsThreeSeparatedClassesUnderTheSameGuarantee() {
        SplittableRandom data = new SplittableRandom(13);
        int n = 6000;
        double[][] x = new double[n][2];
        int[] y = new int[n];
        double[][] centres = {{-0.6, -0.6}, {0.6, -0.6}, {0, 0.6}};
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            x[i][0] = centres[y[i]][0] + (data.nextDouble() - 0.5) * 0.6;
            x[i][1] = centres[y[i]][1] + (data.nextDouble() - 0.5) * 0.6;
        }
        DpSgd.Plan plan = DpSgd.plan(n, 256, 5, 2, 1e-6, 1);
        double[][] w = DpSgd.logistic(x, y, 3, plan, 1.0, Seeded.random("multiclass"));
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                double score = w[k][2] + w[k][0] * x[i][0] + w[k][1] * x[i][1];
                if (score > bestScore) {
                    bestScore = score;
                    best = k;
                }
            }
            correct += best == y[i] ? 1 : 0;
        }
        assertThat((double) correct / n).isGreaterThan(0.9);
    }

    @Test
    void planRefusesWhatItCannotBound() {
        assertThatThrownBy(() -> DpSgd.plan(1000, 10, 1, 1, 1e-3, 1)).hasMessageContaining("delta");
        assertThatThrownBy(() -> DpSgd.plan(1000, 2000, 1, 1, 1e-5, 1)).hasMessageContaining("batch");
        assertThatThrownBy(() -> DpSgd.plan(1000, 10, 1, 1, 1e-5, 0)).hasMessageContaining("clipping");
        assertThatThrownBy(() -> DpSgd.plan(1000, 10, 0, 1, 1e-5, 1)).hasMessageContaining("epochs");
        assertThatThrownBy(() -> DpSgd.plan(1000, 10, 1, 0, 1e-5, 1)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> DpSgd.plan(1000, 1000, 500, 1e-3, 1e-5, 1)).hasMessageContaining("no noise multiplier");
    }
}
