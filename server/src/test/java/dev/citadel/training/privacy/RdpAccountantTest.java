package dev.citadel.training.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RdpAccountantTest {

    /**
     * TensorFlow Privacy's published DP-SGD MNIST figures: tensorflow/privacy, tutorials/README.md,
     * "Select Parameters" table (60,000 examples, 256 per batch, δ = 1e-5; ε printed to two
     * decimals). Its RDP accountant used the same closed form and Mironov's 2017 conversion at the
     * orders 1.1, 1.2, …, 10.9 and 12, …, 63; our integer orders (here the optimum is below 63)
     * are a subset of those, so our ε is at least the published one (less the rounding, 0.005),
     * and the fractional orders it lacks cost at most 1% here (9.773 against 9.74 is the widest).
     */
    @ParameterizedTest
    @CsvSource({"1.12, 60, 2.92", "0.6, 30, 9.74", "1.2, 10, 1.20"})
    void matchesTensorFlowPrivacysPublishedMnistEpsilons(double sigma, int epochs, double published) {
        double q = 256.0 / 60_000;
        long steps = epochs * 60_000L / 256;
        double epsilon = RdpAccountant.epsilon(q, sigma, steps, 1e-5, RdpAccountant.Conversion.MIRONOV_2017);
        assertThat(epsilon).isBetween(published - 0.005, published * 1.01);
    }

    /**
     * Opacus' accountant test: pytorch/opacus, opacus/tests/accountants_test.py,
     * {@code test_rdp_accountant}: σ = 1.5, q = 0.04, 2250 steps, δ = 1e-5 → ε = 7.32911117143,
     * with the Balle et al. 2020 conversion of opacus/accountants/analysis/rdp.py
     * ({@code get_privacy_spent}) at the orders 1.1, …, 10.9 and 12, …, 63. Ours is 7.3299 at
     * integer orders: above by the fractional orders we lack, far within 1%.
     */
    @Test
    void matchesOpacussPublishedEpsilonWithTheBalleConversion() {
        double epsilon = RdpAccountant.epsilon(0.04, 1.5, 2250, 1e-5);
        assertThat(epsilon).isBetween(7.32911117143 - 1e-6, 7.32911117143 * 1.01);
    }

    @ParameterizedTest
    @CsvSource({"0.004, 1.1, 14062, 1e-5", "0.1, 0.8, 300, 1e-7", "1, 5, 10, 1e-3", "0.01, 20, 100000, 1e-9"})
    void theBalleConversionIsNeverLooserThanMironovs(double q, double sigma, long steps, double delta) {
        assertThat(RdpAccountant.epsilon(q, sigma, steps, delta))
                .isLessThanOrEqualTo(RdpAccountant.epsilon(q, sigma, steps, delta, RdpAccountant.Conversion.MIRONOV_2017));
    }

    @Test
    void fullBatchIsTheGaussianMechanismsRdp() {
        // without subsampling the RDP is α/(2σ²) exactly (Mironov 2017, Proposition 7)
        assertThat(RdpAccountant.stepRdp(1, 2, 10)).isCloseTo(10 / 8.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(RdpAccountant.stepRdp(0.999999, 2, 10)).isCloseTo(10 / 8.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void epsilonGrowsWithSamplingRateAndSteps() {
        assertThat(RdpAccountant.epsilon(0.02, 1, 1000, 1e-5)).isGreaterThan(RdpAccountant.epsilon(0.01, 1, 1000, 1e-5));
        assertThat(RdpAccountant.epsilon(0.01, 1, 2000, 1e-5)).isGreaterThan(RdpAccountant.epsilon(0.01, 1, 1000, 1e-5));
    }

    @Test
    void epsilonShrinksWithNoiseAndDelta() {
        assertThat(RdpAccountant.epsilon(0.01, 2, 1000, 1e-5)).isLessThan(RdpAccountant.epsilon(0.01, 1, 1000, 1e-5));
        assertThat(RdpAccountant.epsilon(0.01, 1, 1000, 1e-3)).isLessThan(RdpAccountant.epsilon(0.01, 1, 1000, 1e-5));
    }

    @ParameterizedTest
    @CsvSource({"0.5, 0.01, 1000", "3, 0.004, 14062", "8, 0.1, 300", "1, 1, 10"})
    void sigmaForMeetsTheTargetAndIsNearlyTight(double target, double q, long steps) {
        double sigma = RdpAccountant.sigmaFor(target, q, steps, 1e-5);
        assertThat(RdpAccountant.epsilon(q, sigma, steps, 1e-5)).isLessThanOrEqualTo(target);
        if (sigma > RdpAccountant.MIN_SIGMA) {
            assertThat(RdpAccountant.epsilon(q, sigma / 1.002, steps, 1e-5)).isGreaterThan(target);
        }
    }

    @Test
    void refusesSettingsItCannotBound() {
        assertThatThrownBy(() -> RdpAccountant.epsilon(0, 1, 10, 1e-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdpAccountant.epsilon(1.5, 1, 10, 1e-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdpAccountant.epsilon(0.1, 0.1, 10, 1e-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdpAccountant.epsilon(0.1, Double.NaN, 10, 1e-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdpAccountant.epsilon(0.1, 1, 0, 1e-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdpAccountant.epsilon(0.1, 1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdpAccountant.sigmaFor(0, 0.1, 10, 1e-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdpAccountant.sigmaFor(-1, 0.1, 10, 1e-5)).isInstanceOf(IllegalArgumentException.class);
        // one full-batch step cannot reach ε = 1e-4 at δ = 1e-5 even with σ = 1000
        assertThatThrownBy(() -> RdpAccountant.sigmaFor(1e-4, 1, 100_000, 1e-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no noise multiplier");
    }
}
