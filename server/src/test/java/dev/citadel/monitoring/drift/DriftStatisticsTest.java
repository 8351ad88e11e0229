package dev.citadel.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/**
 * PSI and Kolmogorov–Smirnov against hand-computed and published values, and the KS distance to a
 * quantile-summarised reference against an independent two-sample implementation (Apache Commons
 * Math's, over the full reference sample).
 */
class DriftStatisticsTest {

    @Test
    void psiMatchesAHandComputedExample() {
        // Σ (a − e) ln(a / e) with e = 0.25 in each of four bins and a = 0.1, 0.2, 0.3, 0.4:
        //   (−0.15)·ln 0.4 + (−0.05)·ln 0.8 + 0.05·ln 1.2 + 0.15·ln 1.6
        // = 0.137444 + 0.011157 + 0.009116 + 0.070501 = 0.228217
        double psi = DriftStatistics.psi(new double[] {0.25, 0.25, 0.25, 0.25}, new double[] {0.1, 0.2, 0.3, 0.4});
        assertThat(psi).isCloseTo(0.2282174096, within(1e-9));
    }

    @Test
    void psiIsZeroForTheSameDistributionAndFiniteForAnEmptyReferenceBin() {
        double[] same = {0.1, 0.2, 0.3, 0.4, 0.0};
        assertThat(DriftStatistics.psi(same, same)).isZero();
        // the reference never saw the last bin: its 0 counts as 1e-4, so
        //   2 · (−0.1)·ln 0.8 + (0.2 − 1e-4)·ln(0.2 / 1e-4) = 0.044629 + 1.519420 = 1.564049
        double psi = DriftStatistics.psi(new double[] {0.5, 0.5, 0.0}, new double[] {0.4, 0.4, 0.2});
        assertThat(psi).isCloseTo(1.5640491119, within(1e-9));
    }

    @Test
    void kolmogorovDistributionMatchesScipysPublishedValues() {
        // scipy.special.kolmogorov docs: kolmogorov([0, 0.5, 1.0]) = [1, 0.96394524, 0.26999967];
        // scipy.special.kolmogi docs: kolmogi([0.1, 0.25, 0.5, 0.75, 0.9]) =
        //   [1.22384787, 1.01918472, 0.82757356, 0.67644769, 0.57117327]
        // Two samples of 200 give √(nm/(n+m)) = 10, so a distance d has p = kolmogorov(10 d).
        assertThat(DriftStatistics.ksPValue(0.0, 200, 200)).isEqualTo(1.0);
        assertThat(DriftStatistics.ksPValue(0.05, 200, 200)).isCloseTo(0.96394524, within(1e-8));
        assertThat(DriftStatistics.ksPValue(0.10, 200, 200)).isCloseTo(0.26999967, within(1e-8));
        double[] y = {0.122384787, 0.101918472, 0.082757356, 0.067644769, 0.057117327};
        double[] p = {0.1, 0.25, 0.5, 0.75, 0.9};
        for (int i = 0; i < y.length; i++) {
            assertThat(DriftStatistics.ksPValue(y[i], 200, 200)).isCloseTo(p[i], within(1e-7));
        }
    }

    @Test
    void ksDistanceToAUniformReferenceIsTheTextbookOneSampleStatistic() {
        double[] uniform = new double[ReferenceBuilder.KS_QUANTILES + 1];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = i / (double) ReferenceBuilder.KS_QUANTILES;
        }
        // D = max(i/n − x₍ᵢ₎, x₍ᵢ₎ − (i−1)/n) = max(0.133, 0.2, 0.267, 0.067, 0.1, 0.233) = 4/15
        assertThat(DriftStatistics.ksDistance(new double[] {0.2, 0.4, 0.9}, uniform)).isCloseTo(4 / 15.0, within(1e-12));
        KolmogorovSmirnovTest commons = new KolmogorovSmirnovTest();
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            double[] sample = random.doubles(1 + random.nextInt(300), -0.2, 1.1).sorted().toArray();
            assertThat(DriftStatistics.ksDistance(sample, uniform)).isCloseTo(
                    commons.kolmogorovSmirnovStatistic(new UniformRealDistribution(0, 1), sample), within(1e-9));
        }
    }

    @Test
    void ksDistanceToASummarisedReferenceIsWithinItsResolutionOfTheFullTwoSampleStatistic() {
        KolmogorovSmirnovTest commons = new KolmogorovSmirnovTest();
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 40; trial++) {
            boolean discrete = trial % 2 == 0;
            double shift = trial % 4 < 2 ? 0 : 0.4;
            double[] reference = sample(random, 5_000, discrete, 0);
            double[] live = sample(random, 50 + random.nextInt(500), discrete, shift);
            double[] quantiles = DriftStatistics.quantiles(reference, ReferenceBuilder.KS_QUANTILES);
            double exact = commons.kolmogorovSmirnovStatistic(reference, live);
            assertThat(DriftStatistics.ksDistance(live, quantiles)).as("trial %d", trial)
                    .isCloseTo(exact, within(1.0 / ReferenceBuilder.KS_QUANTILES + 1.0 / reference.length));
        }
    }

    @Test
    void binsAreQuantileBinsOfTheReferenceWithRepeatedEdgesMerged() {
        double[] sorted = new double[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertThat(DriftStatistics.binEdges(sorted, 10)).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90);
        assertThat(DriftStatistics.bin(new double[] {10, 20}, 10)).isZero();
        assertThat(DriftStatistics.bin(new double[] {10, 20}, 10.5)).isEqualTo(1);
        assertThat(DriftStatistics.bin(new double[] {10, 20}, 99)).isEqualTo(2);
        double[] counts = {0, 0, 0, 0, 1, 1, 1, 2, 2, 4};
        assertThat(DriftStatistics.binEdges(counts, 5)).containsExactly(0, 1, 2);
    }

    private static double[] sample(SplittableRandom random, int n, boolean discrete, double shift) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            double gaussian = gaussian(random) + shift;
            values[i] = discrete ? Math.max(0, Math.min(6, Math.round(gaussian * 1.5 + 3))) : gaussian;
        }
        Arrays.sort(values);
        return values;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
