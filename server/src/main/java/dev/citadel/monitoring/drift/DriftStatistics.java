package dev.citadel.monitoring.drift;

import java.util.Arrays;

import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The arithmetic of drift (ADR 0026): quantile bin edges, the population stability index over
 * binned proportions, and the Kolmogorov–Smirnov distance between a live sample and the reference
 * distribution with its asymptotic p-value.
 */
final class DriftStatistics {

    /** Proportions below this count as this in the PSI, so an empty bin weighs heavily but finitely. */
    static final double FLOOR = 1e-4;

    /** Only its Kolmogorov distribution is used (approximateP), which keeps no state. */
    private static final KolmogorovSmirnovTest KOLMOGOROV = new KolmogorovSmirnovTest();

    private DriftStatistics() {}

    /**
     * PSI = Σ (a − e) · ln(a / e) over the bins, with {@code e} the reference and {@code a} the live
     * proportion of each, both floored at {@link #FLOOR}: 0 for identical distributions, conventionally
     * "no shift" below 0.1, "moderate" to 0.2, "significant" above.
     */
    static double psi(double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("the distributions have different bins");
        }
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], FLOOR);
            double a = Math.max(actual[i], FLOOR);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** Counts as proportions of {@code total} (all zeros when it is 0). */
    static double[] proportions(long[] counts, long total) {
        double[] proportions = new double[counts.length];
        for (int i = 0; total > 0 && i < counts.length; i++) {
            proportions[i] = counts[i] / (double) total;
        }
        return proportions;
    }

    /**
     * The {@code k + 1} quantiles of sorted values at p = 0, 1/k, …, 1 by inverting the empirical
     * distribution function (Hyndman and Fan's type 1: the smallest value whose ECDF reaches p), so
     * that the CDF rebuilt from them matches the ECDF at every quantile even when values repeat.
     */
    static double[] quantiles(double[] sorted, int k) {
        if (sorted.length == 0) {
            return new double[0];
        }
        double[] quantiles = new double[k + 1];
        int n = sorted.length;
        for (int i = 0; i <= k; i++) {
            long rank = (long) Math.ceil(n * (double) i / k - 1e-9);
            quantiles[i] = sorted[(int) Math.min(n - 1, Math.max(0, rank - 1))];
        }
        return quantiles;
    }

    /** Interior bin edges: the quantiles at 1/bins … (bins − 1)/bins, repeated values once. */
    static double[] binEdges(double[] sorted, int bins) {
        double[] quantiles = quantiles(sorted, bins);
        if (quantiles.length == 0) {
            return quantiles;
        }
        return Arrays.stream(quantiles, 1, bins).distinct().toArray();
    }

    /** The bin of {@code x}: bins are (−∞, e₀], (e₀, e₁], …, (eₗₐₛₜ, ∞), so the result is 0 … edges.length. */
    static int bin(double[] edges, double x) {
        int low = 0;
        int high = edges.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (edges[mid] < x) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * The two-sample Kolmogorov–Smirnov distance sup |G(x) − F(x)| between the empirical distribution
     * G of {@code sortedSample} and the reference distribution F given by its quantiles at p = i/k
     * ({@link #quantiles}), linear between consecutive quantiles. F is within 1/k of the reference's
     * ECDF, so the distance is within 1/k of the one the full reference would give.
     */
    static double ksDistance(double[] sortedSample, double[] referenceQuantiles) {
        if (sortedSample.length == 0 || referenceQuantiles.length < 2) {
            throw new IllegalArgumentException("both distributions need values");
        }
        // G is a step function and F is linear between its quantiles, so |G − F| is largest at a
        // breakpoint of either, approached from the left or taken at it
        double[] points = new double[sortedSample.length + referenceQuantiles.length];
        System.arraycopy(sortedSample, 0, points, 0, sortedSample.length);
        System.arraycopy(referenceQuantiles, 0, points, sortedSample.length, referenceQuantiles.length);
        Arrays.sort(points);
        double m = sortedSample.length;
        double distance = 0;
        for (int i = 0; i < points.length; i++) {
            double x = points[i];
            if (i > 0 && points[i - 1] == x) {
                continue;
            }
            double atOrBelow = countAtOrBelow(sortedSample, x) / m;
            double below = countBelow(sortedSample, x) / m;
            distance = Math.max(distance, Math.abs(atOrBelow - cdf(referenceQuantiles, x)));
            distance = Math.max(distance, Math.abs(below - cdfBelow(referenceQuantiles, x)));
        }
        return distance;
    }

    /**
     * The asymptotic p-value of a two-sample distance {@code d} between samples of {@code n} and
     * {@code m} values: Q_KS(√(nm/(n+m)) · d), with Q_KS the complement of the Kolmogorov
     * distribution (Apache Commons Math). Conservative for discrete data (ties).
     */
    static double ksPValue(double d, long n, long m) {
        if (n <= 0 || m <= 0) {
            throw new IllegalArgumentException("both samples need values");
        }
        double p = KOLMOGOROV.approximateP(d, (int) Math.min(n, Integer.MAX_VALUE), (int) Math.min(m, Integer.MAX_VALUE));
        return Math.min(1, Math.max(0, p));
    }

    /** F(x): 0 below the first quantile, 1 from the last, linear in between, jumping over repeated quantiles. */
    static double cdf(double[] q, double x) {
        int k = q.length - 1;
        if (x < q[0]) {
            return 0;
        }
        if (x >= q[k]) {
            return 1;
        }
        int j = countAtOrBelow(q, x) - 1; // the last quantile ≤ x; q[j + 1] > x
        return (j + (x - q[j]) / (q[j + 1] - q[j])) / k;
    }

    /** F(x−), the limit from the left. */
    static double cdfBelow(double[] q, double x) {
        int k = q.length - 1;
        if (x <= q[0]) {
            return 0;
        }
        if (x > q[k]) {
            return 1;
        }
        int i = countBelow(q, x); // the first quantile ≥ x; q[i − 1] < x
        return (i - 1 + (x - q[i - 1]) / (q[i] - q[i - 1])) / k;
    }

    private static int countAtOrBelow(double[] sorted, double x) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= x) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int countBelow(double[] sorted, double x) {
        return bin(sorted, x);
    }
}
