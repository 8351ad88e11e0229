package dev.citadel.training.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

/** Geometric skips still sample every row independently with probability B/n. */
class PoissonSamplerTest {

    @Test
    void batchSizesHaveTheBinomialMeanAndVarianceAndEveryRowTheSameRate() {
        int rows = 2000;
        int batch = 50;
        double q = (double) batch / rows;
        PoissonSampler sampler = new PoissonSampler(rows, batch, Seeded.random("poisson"));
        int passes = 4000;
        long[] included = new long[rows];
        double sum = 0;
        double squares = 0;
        long adjacent = 0;
        for (int pass = 0; pass < passes; pass++) {
            int size = 0;
            int previous = -2;
            for (int row = sampler.next(0); row < rows; row = sampler.next(row + 1)) {
                included[row]++;
                size++;
                if (row == previous + 1) {
                    adjacent++;
                }
                previous = row;
            }
            sum += size;
            squares += (double) size * size;
        }
        double mean = sum / passes;
        double variance = squares / passes - mean * mean;
        double binomialVariance = rows * q * (1 - q);
        // five standard errors: the mean of 4000 batch sizes, and the sample variance
        assertThat(mean).isCloseTo(batch, within(5 * Math.sqrt(binomialVariance / passes)));
        assertThat(variance).isCloseTo(binomialVariance, within(5 * binomialVariance * Math.sqrt(2.0 / passes)));
        // each row's inclusion rate, first, middle and last rows alike (chi-square over all rows)
        double expected = passes * q;
        double chiSquare = 0;
        for (long count : included) {
            chiSquare += (count - expected) * (count - expected) / (expected * (1 - q));
        }
        // rows − 1 degrees of freedom: mean 1999, standard deviation about 63
        assertThat(chiSquare).isBetween(1999 - 5 * 63.0, 1999 + 5 * 63.0);
        // independence of neighbours: P(row and row+1 both included) = q² per pair
        double pairs = (double) passes * (rows - 1);
        assertThat(adjacent / pairs).isCloseTo(q * q, within(5 * Math.sqrt(q * q / pairs)));
    }

    @Test
    void gapsAreGeometricIncludingAtLargeRowCountsAndTheWholeBatchIsEveryRow() {
        PoissonSampler sampler = new PoissonSampler(1_000_000, 256, Seeded.random("gaps"));
        double q = 256 / 1_000_000.0;
        int draws = 200_000;
        long zero = 0;
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            long gap = sampler.gap(Long.MAX_VALUE);
            sum += gap;
            if (gap == 0) {
                zero++;
            }
        }
        double mean = (1 - q) / q;
        assertThat(sum / draws).isCloseTo(mean, within(5 * Math.sqrt((1 - q) / (q * q) / draws)));
        assertThat((double) zero / draws).isCloseTo(q, within(5 * Math.sqrt(q / draws)));
        PoissonSampler all = new PoissonSampler(10, 10, Seeded.random("all"));
        assertThat(all.next(0)).isZero();
        assertThat(all.next(9)).isEqualTo(9);
        assertThat(all.next(10)).isEqualTo(10);
    }

    @Test
    void theExactPathAgreesWithTheDefinitionAtAndAroundTheThresholds() {
        int rows = 1000;
        int batch = 100; // t = 0.9
        PoissonSampler sampler = new PoissonSampler(rows, batch, new SecureRandom());
        for (int k = 1; k < 40; k++) {
            // U just below and just above 1 − 0.9^k, as 200-bit dyadic intervals
            BigInteger scale = BigInteger.ONE.shiftLeft(200);
            BigInteger threshold = scale.subtract(BigInteger.valueOf(9).pow(k).multiply(scale)
                    .divide(BigInteger.TEN.pow(k)));
            for (BigInteger a : new BigInteger[] {threshold.subtract(BigInteger.TWO), threshold.add(BigInteger.ONE)}) {
                double w = 1 - new java.math.BigDecimal(a).divide(new java.math.BigDecimal(scale)).doubleValue();
                // U below 1 − 0.9^k: W above 0.9^k, so G = k − 1; above it, G = k
                long expected = a.compareTo(threshold) < 0 ? k - 1 : k;
                for (long candidate : new long[] {0, Math.max(0, expected - 1), expected + 2}) {
                    assertThat(sampler.exactGap(a, 200, candidate, Long.MAX_VALUE)).as("k=%d w=%s", k, w)
                            .isEqualTo(expected);
                }
                assertThat(sampler.exactGap(a, 200, 0, 3)).isEqualTo(Math.min(expected, 3));
            }
        }
    }
}
