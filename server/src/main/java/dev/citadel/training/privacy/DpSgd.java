package dev.citadel.training.privacy;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Differentially private SGD (Abadi et al. 2016) for linear models: each step includes every
 * training example independently with probability q = B/n (Poisson sampling, drawn by exact
 * geometric skips in {@link PoissonSampler}), clips each included
 * example's gradient to L2 norm C, adds discrete Gaussian noise of scale σ·C to the sum, divides by
 * the expected batch size B and takes a fixed-rate step. The result is the mean of the iterates,
 * which is post-processing and costs no privacy.
 *
 * <p>Security guarantees: the noisy sum of each step is computed exactly on the grid 2^−16: a
 * clipped gradient is truncated towards zero onto the grid and its squared norm checked in exact
 * integer arithmetic, so the sensitivity of the sum is at most C (in grid units ⌊C·2^16⌋) whatever
 * the floating-point rounding of the gradient; the noise is the exact discrete Gaussian of
 * {@link DiscreteGaussian} with σ rounded up to the grid 2^−20. With {@link RdpAccountant} this
 * gives (ε, δ)-DP for add/remove-one adjacency of training rows, provided the inputs are encoded
 * without looking at the data (declared bounds and categories). It does not hide the number of
 * training rows, the feature and class names, or anything about the held-out rows used for
 * evaluation.
 */
public final class DpSgd {

    static final int GRID_BITS = 16;
    private static final double GRID = 1 << GRID_BITS;
    private static final int SIGMA_BITS = 20;
    public static final double MAX_CLIP = 100;
    static final int MAX_PARAMETERS = 10_000;

    /** What the accountant settled for a job: sampling rate B/n, steps and noise multiplier. */
    public record Plan(int rows, int expectedBatch, long steps, double sigma, double epsilon, double delta,
            double clip) {

        public double samplingRate() {
            return (double) expectedBatch / rows;
        }
    }

    /** How one example's loss gradient is computed, into {@code out} (flattened parameters). */
    interface Loss {
        void gradient(int row, double[] weights, double[] out);
    }

    private DpSgd() {}

    /**
     * The plan for {@code rows} training rows: steps = ⌈epochs·n/B⌉ and the least σ whose ε is at
     * most {@code epsilon}; throws {@link IllegalArgumentException} for settings the accountant
     * cannot bound, or a δ that is not below 1/n.
     */
    public static Plan plan(int rows, int expectedBatch, int epochs, double epsilon, double delta, double clip) {
        if (rows < 1 || expectedBatch < 1 || expectedBatch > rows) {
            throw new IllegalArgumentException("the expected batch size must be between 1 and the " + rows
                    + " training rows");
        }
        if (!(delta > 0) || delta >= 1.0 / rows) {
            throw new IllegalArgumentException("delta must be positive and below 1/n = 1/" + rows);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1");
        }
        if (!(clip > 0 && clip <= MAX_CLIP)) {
            throw new IllegalArgumentException("the clipping norm must be in (0, " + (int) MAX_CLIP + "]");
        }
        long steps = Math.ceilDiv((long) epochs * rows, expectedBatch);
        double q = (double) expectedBatch / rows;
        double sigma = roundUp(RdpAccountant.sigmaFor(epsilon, q, steps, delta));
        return new Plan(rows, expectedBatch, steps, sigma, RdpAccountant.epsilon(q, sigma, steps, delta), delta, clip);
    }

    /**
     * Multinomial logistic regression (softmax; two classes is binary logistic regression) on rows
     * {@code x} already encoded into bounded values, labels {@code y} in [0, classes). Returns the
     * weights as {@code classes} rows of {@code features + 1} values, the bias last.
     */
    public static double[][] logistic(double[][] x, int[] y, int classes, Plan plan, double learningRate,
            SecureRandom random) {
        int features = x.length == 0 ? 0 : x[0].length;
        int width = features + 1;
        double[] logits = new double[classes];
        Loss loss = (row, w, out) -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double z = w[k * width + features];
                for (int j = 0; j < features; j++) {
                    z += w[k * width + j] * x[row][j];
                }
                logits[k] = z;
                max = Math.max(max, z);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                logits[k] = Math.exp(logits[k] - max);
                sum += logits[k];
            }
            for (int k = 0; k < classes; k++) {
                double residual = logits[k] / sum - (y[row] == k ? 1 : 0);
                for (int j = 0; j < features; j++) {
                    out[k * width + j] = residual * x[row][j];
                }
                out[k * width + features] = residual;
            }
        };
        double[] flat = train(x.length, classes * width, loss, plan, learningRate, random);
        double[][] weights = new double[classes][width];
        for (int k = 0; k < classes; k++) {
            System.arraycopy(flat, k * width, weights[k], 0, width);
        }
        return weights;
    }

    /**
     * Least-squares linear regression on rows {@code x} encoded into bounded values and targets
     * {@code y} already clipped and scaled into [−1, 1]. Returns {@code features + 1} weights, the
     * bias last.
     */
    public static double[] linear(double[][] x, double[] y, Plan plan, double learningRate, SecureRandom random) {
        int features = x.length == 0 ? 0 : x[0].length;
        Loss loss = (row, w, out) -> {
            double residual = w[features] - y[row];
            for (int j = 0; j < features; j++) {
                residual += w[j] * x[row][j];
            }
            for (int j = 0; j < features; j++) {
                out[j] = residual * x[row][j];
            }
            out[features] = residual;
        };
        return train(x.length, features + 1, loss, plan, learningRate, random);
    }

    static double[] train(int rows, int parameters, Loss loss, Plan plan, double learningRate, SecureRandom random) {
        if (rows != plan.rows()) {
            throw new IllegalArgumentException("the plan was made for " + plan.rows() + " rows, not " + rows);
        }
        if (parameters > MAX_PARAMETERS) {
            throw new IllegalArgumentException("at most " + MAX_PARAMETERS + " parameters");
        }
        DiscreteGaussian noise = new DiscreteGaussian(random);
        long clip = (long) Math.floor(plan.clip() * GRID);
        // σ·C in grid units, squared, as a rational: σ = m/2^20 exactly (plan() rounded it up)
        BigInteger m = BigInteger.valueOf((long) Math.ceil(plan.sigma() * (1 << SIGMA_BITS)));
        BigInteger scale = m.multiply(BigInteger.valueOf(clip));
        BigInteger varianceNumerator = scale.multiply(scale);
        BigInteger varianceDenominator = BigInteger.ONE.shiftLeft(2 * SIGMA_BITS);
        double[] weights = new double[parameters];
        double[] mean = new double[parameters];
        double[] gradient = new double[parameters];
        long[] sum = new long[parameters];
        long[] clipped = new long[parameters];
        PoissonSampler sampler = new PoissonSampler(rows, plan.expectedBatch(), random);
        for (long step = 0; step < plan.steps(); step++) {
            java.util.Arrays.fill(sum, 0);
            for (int row = sampler.next(0); row < rows; row = sampler.next(row + 1)) {
                loss.gradient(row, weights, gradient);
                clipOntoGrid(gradient, clip, clipped);
                for (int j = 0; j < parameters; j++) {
                    sum[j] = Math.addExact(sum[j], clipped[j]);
                }
            }
            for (int j = 0; j < parameters; j++) {
                long noisy = Math.addExact(sum[j], noise.gaussian(varianceNumerator, varianceDenominator));
                weights[j] -= learningRate * (noisy / GRID) / plan.expectedBatch();
                mean[j] += (weights[j] - mean[j]) / (step + 1);
            }
        }
        return mean;
    }

    /**
     * Scales {@code gradient} to L2 norm at most {@code clip} grid units and truncates it onto the
     * grid, checking the squared norm exactly, so floating-point error can never exceed the clip.
     */
    static void clipOntoGrid(double[] gradient, long clip, long[] out) {
        double norm = 0;
        for (double g : gradient) {
            norm += g * g;
        }
        norm = Math.sqrt(norm) * GRID;
        double factor = Double.isFinite(norm) && norm > clip ? clip / norm * GRID : GRID;
        if (!Double.isFinite(norm)) {
            factor = 0;
        }
        while (true) {
            long squares = 0;
            for (int j = 0; j < gradient.length; j++) {
                double v = gradient[j] * factor;
                out[j] = Double.isFinite(v) ? (long) v : 0;
                squares = Math.addExact(squares, Math.multiplyExact(out[j], out[j]));
            }
            if (squares <= Math.multiplyExact(clip, clip)) {
                return;
            }
            factor *= 1 - 1e-6;
        }
    }

    private static double roundUp(double sigma) {
        return Math.ceil(sigma * (1 << SIGMA_BITS)) / (1 << SIGMA_BITS);
    }
}
