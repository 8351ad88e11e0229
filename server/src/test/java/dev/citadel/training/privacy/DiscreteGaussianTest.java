package dev.citadel.training.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Statistical checks of the Canonne–Kamath–Steinke samplers with a seeded generator: every bound
 * is four standard errors wide, so a correct sampler fails with probability below 1e-4 per check
 * and the seeds make it reproducible; a sampler off by a few percent in scale fails.
 */
class DiscreteGaussianTest {

    private static final int DRAWS = 40_000;

    @ParameterizedTest
    @CsvSource({"1, 2", "3, 2", "7, 3", "0, 1"})
    void bernoulliExpHasProbabilityExpMinusGamma(long numerator, long denominator) {
        DiscreteGaussian sampler = new DiscreteGaussian(Seeded.random("bern" + numerator + "/" + denominator));
        int hits = 0;
        for (int i = 0; i < DRAWS; i++) {
            hits += sampler.bernoulliExp(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator)) ? 1 : 0;
        }
        double p = Math.exp(-(double) numerator / denominator);
        assertThat((double) hits / DRAWS).isCloseTo(p, org.assertj.core.data.Offset.offset(
                4 * Math.sqrt(p * (1 - p) / DRAWS) + 1e-12));
    }

    @ParameterizedTest
    @CsvSource({"9, 1", "9, 4", "1000000, 1", "1, 100"})
    void gaussianHasMeanZeroAndVarianceSigmaSquared(long numerator, long denominator) {
        DiscreteGaussian sampler = new DiscreteGaussian(Seeded.random("gauss" + numerator + "/" + denominator));
        double variance = (double) numerator / denominator;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < DRAWS; i++) {
            long x = sampler.gaussian(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
            sum += x;
            squares += (double) x * x;
        }
        double expectedVariance = exactVariance(variance);
        assertThat(sum / DRAWS).isCloseTo(0, org.assertj.core.data.Offset.offset(4 * Math.sqrt(expectedVariance / DRAWS)));
        // the variance of a sample variance of a near-Gaussian is about 2σ⁴/n
        assertThat(squares / DRAWS).isCloseTo(expectedVariance, org.assertj.core.data.Offset.offset(
                4 * Math.sqrt(2 * expectedVariance * expectedVariance / DRAWS) + 4.0 / DRAWS));
    }

    @Test
    void gaussianHitsZeroWithItsExactProbability() {
        DiscreteGaussian sampler = new DiscreteGaussian(Seeded.random("zero"));
        int zeros = 0;
        for (int i = 0; i < DRAWS; i++) {
            zeros += sampler.gaussian(BigInteger.ONE, BigInteger.ONE) == 0 ? 1 : 0;
        }
        double p = 1 / normaliser(1);
        assertThat(p).isCloseTo(0.3989, org.assertj.core.data.Offset.offset(1e-3));
        assertThat((double) zeros / DRAWS).isCloseTo(p, org.assertj.core.data.Offset.offset(4 * Math.sqrt(p * (1 - p) / DRAWS)));
    }

    @Test
    void refusesNonPositiveParameters() {
        DiscreteGaussian sampler = new DiscreteGaussian(Seeded.random("refuse"));
        assertThatThrownBy(() -> sampler.gaussian(BigInteger.ZERO, BigInteger.ONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sampler.bernoulliExp(BigInteger.ONE.negate(), BigInteger.ONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sampler.uniform(BigInteger.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The variance of N_Z(0, s²): Σ x² e^{−x²/2s²} / Σ e^{−x²/2s²}, below s² for small s. */
    private static double exactVariance(double s2) {
        double bound = 12 * Math.sqrt(s2) + 2;
        double num = 0;
        for (long x = 1; x <= bound; x++) {
            num += 2 * x * x * Math.exp(-x * x / (2 * s2));
        }
        return num / normaliser(s2);
    }

    private static double normaliser(double s2) {
        double bound = 12 * Math.sqrt(s2) + 2;
        double z = 1;
        for (long x = 1; x <= bound; x++) {
            z += 2 * Math.exp(-x * x / (2 * s2));
        }
        return z;
    }
}
