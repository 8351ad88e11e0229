package dev.citadel.training.privacy;

import java.util.stream.IntStream;

/**
 * The Rényi-DP accountant for the Poisson-subsampled Gaussian mechanism (DP-SGD): the RDP of one
 * step at integer orders α from the exact closed form of Mironov, Talwar and Zhang (2019,
 * "Rényi Differential Privacy of the Sampled Gaussian Mechanism", Section 3.3), composed over the
 * steps by addition, and converted to (ε, δ) with Balle et al. (2020, "Hypothesis Testing
 * Interpretations and Rényi Differential Privacy", Theorem 21): ε = min over α of
 * RDP(α) + log((α − 1)/α) − (log δ + log α)/(α − 1), never above the classic conversion of Mironov
 * (2017, Proposition 3), RDP(α) + log(1/δ)/(α − 1), which {@link Conversion#MIRONOV_2017} keeps
 * for comparison with figures published with it.
 *
 * <p>Security guarantees: every figure is an upper bound on the privacy loss of DP-SGD with
 * add/remove-one adjacency, Poisson sampling rate q, noise multiplier σ (noise standard deviation
 * σ·C for clipping norm C) and T steps. Only integer orders are used, so ε is never below what an
 * accountant using more (fractional) orders would report, and at most a few percent above it. The
 * computation stays in log space, so no order or step count overflows. Settings outside the range
 * this class was tested on are refused with {@link IllegalArgumentException}, never rounded.
 */
public final class RdpAccountant {

    /** Recorded in a model's lineage beside the figures it computed. */
    public static final String NAME = "rdp-subsampled-gaussian";
    public static final String VERSION = "1";
    /** How RDP becomes (ε, δ), recorded in the lineage. */
    public static final String CONVERSION = "balle2020";

    /** The RDP to (ε, δ) conversions. */
    enum Conversion {
        /** Mironov 2017, Proposition 3: what TensorFlow Privacy's early figures used. */
        MIRONOV_2017,
        /** Balle et al. 2020, Theorem 21: tighter; what Opacus uses; the one Citadel charges. */
        BALLE_2020
    }

    /** Noise multipliers outside this range are refused: below, the bound is useless; above, the model is. */
    public static final double MIN_SIGMA = 0.3;
    public static final double MAX_SIGMA = 1000;
    static final long MAX_STEPS = 100_000_000L;

    private static final int[] ORDERS = IntStream.concat(IntStream.rangeClosed(2, 256),
            IntStream.of(320, 384, 448, 512, 768, 1024)).toArray();

    private RdpAccountant() {}

    /** The ε of {@code steps} steps at sampling rate {@code q} and noise multiplier {@code sigma}, for {@code delta}. */
    public static double epsilon(double q, double sigma, long steps, double delta) {
        return epsilon(q, sigma, steps, delta, Conversion.BALLE_2020);
    }

    static double epsilon(double q, double sigma, long steps, double delta, Conversion conversion) {
        check(q, sigma, steps, delta);
        double best = Double.POSITIVE_INFINITY;
        for (int order : ORDERS) {
            double rdp = steps * stepRdp(q, sigma, order);
            double candidate = switch (conversion) {
                case MIRONOV_2017 -> rdp + Math.log(1 / delta) / (order - 1);
                case BALLE_2020 -> rdp + Math.log((order - 1.0) / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
            };
            best = Math.min(best, candidate);
        }
        return Math.max(0, best);
    }

    /**
     * The smallest noise multiplier (to within 0.1%) whose ε for these settings is at most
     * {@code targetEpsilon}; refuses a target that even {@link #MAX_SIGMA} cannot meet. A target
     * that {@link #MIN_SIGMA} already meets gets {@link #MIN_SIGMA}.
     */
    public static double sigmaFor(double targetEpsilon, double q, long steps, double delta) {
        if (!(targetEpsilon > 0) || !Double.isFinite(targetEpsilon)) {
            throw new IllegalArgumentException("epsilon must be a positive number");
        }
        check(q, MIN_SIGMA, steps, delta);
        if (epsilon(q, MAX_SIGMA, steps, delta) > targetEpsilon) {
            throw new IllegalArgumentException("no noise multiplier up to " + (int) MAX_SIGMA
                    + " reaches epsilon " + targetEpsilon + " with these settings");
        }
        if (epsilon(q, MIN_SIGMA, steps, delta) <= targetEpsilon) {
            return MIN_SIGMA;
        }
        double low = MIN_SIGMA;
        double high = MAX_SIGMA;
        // invariant: epsilon(low) > target >= epsilon(high); bisect in log space, sigma spans 3.5 decades
        while (high / low > 1.001) {
            double mid = Math.sqrt(low * high);
            if (epsilon(q, mid, steps, delta) > targetEpsilon) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    /**
     * The RDP of one step at integer order α: log(A_α)/(α − 1) with
     * A_α = Σ_{k=0..α} C(α,k) (1−q)^{α−k} q^k exp((k² − k)/(2σ²)), summed as log-sum-exp.
     */
    static double stepRdp(double q, double sigma, int order) {
        if (q == 1) {
            return order / (2 * sigma * sigma);
        }
        double logQ = Math.log(q);
        double log1mQ = Math.log1p(-q);
        double[] terms = new double[order + 1];
        double logBinomial = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= order; k++) {
            if (k > 0) {
                logBinomial += Math.log(order - k + 1) - Math.log(k);
            }
            terms[k] = logBinomial + (order - k) * log1mQ + k * logQ + ((double) k * k - k) / (2 * sigma * sigma);
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double term : terms) {
            sum += Math.exp(term - max);
        }
        return Math.max(0, (max + Math.log(sum)) / (order - 1));
    }

    private static void check(double q, double sigma, long steps, double delta) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("the sampling rate must be in (0, 1]");
        }
        if (!(sigma >= MIN_SIGMA && sigma <= MAX_SIGMA)) {
            throw new IllegalArgumentException("the noise multiplier must be between " + MIN_SIGMA + " and " + MAX_SIGMA);
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("the number of steps must be between 1 and " + MAX_STEPS);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1)");
        }
    }
}
