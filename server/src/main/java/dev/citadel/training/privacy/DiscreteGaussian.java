package dev.citadel.training.privacy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Exact samplers of Canonne, Kamath and Steinke (2020, "The Discrete Gaussian for Differential
 * Privacy", Algorithms 1–3): Bernoulli(exp(−γ)) for rational γ, the discrete Laplace and the
 * discrete Gaussian N_Z(0, σ²) for rational σ², in integer arithmetic only.
 *
 * <p>Security guarantees: every draw consumes only uniform integers from the {@link SecureRandom}
 * given at construction and compares them with exact rationals, so the output distribution is the
 * stated one exactly: there is no floating-point rounding whose pattern could reveal the noiseless
 * value (Mironov 2012, "On Significance of the Least Significant Bits for Differential Privacy").
 * Running time depends on the random draws, not on any secret; it is not constant-time, which is
 * not needed when the noise is added once per step inside the training job.
 */
final class DiscreteGaussian {

    private static final BigInteger TWO = BigInteger.TWO;

    private final SecureRandom random;

    DiscreteGaussian(SecureRandom random) {
        this.random = Objects.requireNonNull(random);
    }

    /** A uniform integer in [0, bound). */
    BigInteger uniform(BigInteger bound) {
        if (bound.signum() <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        BigInteger draw;
        do {
            draw = new BigInteger(bound.bitLength(), random);
        } while (draw.compareTo(bound) >= 0);
        return draw;
    }

    /** True with probability numerator/denominator (0 ≤ numerator ≤ denominator). */
    boolean bernoulli(BigInteger numerator, BigInteger denominator) {
        return uniform(denominator).compareTo(numerator) < 0;
    }

    /** True with probability exp(−numerator/denominator), numerator ≥ 0 (CKS Algorithm 1). */
    boolean bernoulliExp(BigInteger numerator, BigInteger denominator) {
        if (numerator.signum() < 0 || denominator.signum() <= 0) {
            throw new IllegalArgumentException("gamma must be a non-negative rational");
        }
        if (numerator.compareTo(denominator) <= 0) {
            BigInteger k = BigInteger.ONE;
            while (bernoulli(numerator, denominator.multiply(k))) {
                k = k.add(BigInteger.ONE);
            }
            return k.testBit(0);
        }
        BigInteger[] whole = numerator.divideAndRemainder(denominator);
        for (BigInteger i = BigInteger.ZERO; i.compareTo(whole[0]) < 0; i = i.add(BigInteger.ONE)) {
            if (!bernoulliExp(BigInteger.ONE, BigInteger.ONE)) {
                return false;
            }
        }
        return bernoulliExp(whole[1], denominator);
    }

    /** The discrete Laplace with P(x) ∝ exp(−|x|/t), t a positive integer (CKS Algorithm 2). */
    BigInteger laplace(BigInteger t) {
        while (true) {
            BigInteger u = uniform(t);
            if (!bernoulliExp(u, t)) {
                continue;
            }
            BigInteger v = BigInteger.ZERO;
            while (bernoulliExp(BigInteger.ONE, BigInteger.ONE)) {
                v = v.add(BigInteger.ONE);
            }
            BigInteger x = u.add(t.multiply(v));
            boolean negative = random.nextBoolean();
            if (negative && x.signum() == 0) {
                continue;
            }
            return negative ? x.negate() : x;
        }
    }

    /**
     * The discrete Gaussian with P(x) ∝ exp(−x²/(2σ²)), σ² = numerator/denominator > 0
     * (CKS Algorithm 3).
     */
    long gaussian(BigInteger varianceNumerator, BigInteger varianceDenominator) {
        if (varianceNumerator.signum() <= 0 || varianceDenominator.signum() <= 0) {
            throw new IllegalArgumentException("the variance must be a positive rational");
        }
        // t = floor(σ) + 1, exactly: floor(σ) = floor(sqrt(floor(σ²)))
        BigInteger floorSigma = varianceNumerator.divide(varianceDenominator).sqrt();
        BigInteger t = floorSigma.add(BigInteger.ONE);
        while (true) {
            BigInteger y = laplace(t);
            // γ = (|y| − σ²/t)² / (2σ²) = (|y|·t·b − a)² / (2·a·t²·b) with σ² = a/b
            BigInteger diff = y.abs().multiply(t).multiply(varianceDenominator).subtract(varianceNumerator);
            BigInteger numerator = diff.multiply(diff);
            BigInteger denominator = TWO.multiply(varianceNumerator).multiply(t).multiply(t).multiply(varianceDenominator);
            if (bernoulliExp(numerator, denominator)) {
                return y.longValueExact();
            }
        }
    }
}
