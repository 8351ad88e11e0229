package dev.citadel.training.privacy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The discrete Gaussian mechanism for integer-valued queries, accounted in zero-concentrated DP
 * (zCDP): adding N_Z(0, σ²) to a query of L2 sensitivity Δ is (Δ²/2σ²)-zCDP (Canonne, Kamath and
 * Steinke 2020, Theorem 4 and §4 for vectors); zCDP composes by adding ρ; ρ-zCDP implies
 * (ρ + 2·√(ρ·ln(1/δ)), δ)-DP for every δ > 0 (Bun and Steinke 2016, Proposition 1.3). Used by DP
 * dataset profiles (docs/privacy.md).
 *
 * <p>Security guarantees: the noise is drawn exactly by {@link DiscreteGaussian} from the given
 * {@link SecureRandom}, with σ² as an exact rational, so the released integer carries no
 * floating-point artefact of the true value.
 */
public final class GaussianNoise {

    private final DiscreteGaussian sampler;

    public GaussianNoise(SecureRandom random) {
        this.sampler = new DiscreteGaussian(random);
    }

    /** The largest ρ whose zCDP guarantee implies (ε, δ)-DP: (√(ln(1/δ) + ε) − √ln(1/δ))². */
    public static double rho(double epsilon, double delta) {
        if (!(epsilon > 0) || !(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("epsilon must be positive and delta in (0, 1)");
        }
        double log = Math.log(1 / delta);
        double root = Math.sqrt(log + epsilon) - Math.sqrt(log);
        return root * root;
    }

    /** The ε that ρ-zCDP implies at δ: ρ + 2·√(ρ·ln(1/δ)). */
    public static double epsilon(double rho, double delta) {
        return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
    }

    /** The variance that makes a query of L2 sensitivity {@code sensitivity} ρ-zCDP: Δ²/(2ρ). */
    public static double variance(double sensitivity, double rho) {
        return sensitivity * sensitivity / (2 * rho);
    }

    /** {@code value} plus a draw of N_Z(0, variance). */
    public long add(long value, double variance) {
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException("the variance must be positive and finite");
        }
        BigDecimal exact = new BigDecimal(variance); // the double's exact binary value
        BigInteger numerator = exact.unscaledValue();
        BigInteger denominator = BigInteger.ONE;
        if (exact.scale() > 0) {
            denominator = BigInteger.TEN.pow(exact.scale());
        } else {
            numerator = numerator.multiply(BigInteger.TEN.pow(-exact.scale()));
        }
        return Math.addExact(value, sampler.gaussian(numerator, denominator));
    }
}
