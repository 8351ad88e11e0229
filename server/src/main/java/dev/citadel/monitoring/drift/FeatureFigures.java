package dev.citadel.monitoring.drift;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One feature's drift in one window: figures about the live inputs, never an input value.
 *
 * @param psi         population stability index of the live bin proportions against the reference's
 * @param ks          numeric features: the Kolmogorov–Smirnov distance to the reference distribution
 * @param pValue      its asymptotic p-value (small: the live values are unlikely to come from the reference)
 * @param drifted     PSI over its threshold or p-value under its threshold
 * @param values      live instances with a value
 * @param missing     live instances without one
 * @param proportions the live share per reference bin (the bins of the reference feature, in order)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureFigures(String name, String kind, double psi, Double ks, Double pValue, boolean drifted, long values,
        long missing, List<Double> proportions) {}
