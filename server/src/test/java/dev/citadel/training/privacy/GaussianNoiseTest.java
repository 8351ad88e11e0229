package dev.citadel.training.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianNoiseTest {

    @Test
    void rhoAndEpsilonAreInversesAndRhoGrowsWithEpsilonAndDelta() {
        for (double epsilon : new double[] {0.1, 1, 3, 8}) {
            double rho = GaussianNoise.rho(epsilon, 1e-6);
            assertThat(GaussianNoise.epsilon(rho, 1e-6)).isCloseTo(epsilon, within(1e-9));
        }
        // a published point: 0.5-zCDP gives about (5.75, 1e-6)-DP (0.5 + 2·√(0.5·ln 1e6))
        assertThat(GaussianNoise.epsilon(0.5, 1e-6)).isCloseTo(0.5 + 2 * Math.sqrt(0.5 * Math.log(1e6)), within(1e-12))
                .isCloseTo(5.756, within(1e-3));
        assertThat(GaussianNoise.rho(3, 1e-6)).isGreaterThan(GaussianNoise.rho(1, 1e-6));
        assertThat(GaussianNoise.rho(1, 1e-3)).isGreaterThan(GaussianNoise.rho(1, 1e-6));
        assertThatThrownBy(() -> GaussianNoise.rho(0, 1e-6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GaussianNoise.rho(1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNoiseIsCentredWithTheRequestedVarianceIncludingFractionalAndLargeVariances() {
        GaussianNoise noise = new GaussianNoise(Seeded.random("gaussian-noise"));
        for (double variance : new double[] {1.5, 12.25, 2.5e5}) {
            int n = 20_000;
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                long draw = noise.add(1000, variance) - 1000;
                sum += draw;
                squares += (double) draw * draw;
            }
            double mean = sum / n;
            double observed = squares / n - mean * mean;
            // five standard errors of the mean and about five of the sample variance
            assertThat(mean).isCloseTo(0, within(5 * Math.sqrt(variance / n)));
            assertThat(observed).isCloseTo(variance, within(5 * variance * Math.sqrt(2.0 / n)));
        }
        assertThatThrownBy(() -> noise.add(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
