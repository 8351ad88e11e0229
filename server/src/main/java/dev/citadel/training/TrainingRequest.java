package dev.citadel.training;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What to train: a model name, a dataset version, a target, a task, an algorithm with its
 * parameters, optional features (default: every usable column but the target and the sensitive
 * ones), the held-out fraction and the seed. Same request, same data → same model and metrics.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRequest(@Size(max = 64) String model, @Size(max = 64) String dataset, Integer version,
        @Size(max = 256) String target, @Size(max = 32) String task, @Size(max = 32) String algorithm,
        @Size(max = 32) Map<@Size(max = 64) String, Object> params, @Size(max = 500) List<@Size(max = 256) String> features,
        Double testFraction, Long seed, Boolean allowSensitive, @jakarta.validation.Valid Privacy privacy) {

    /**
     * Differentially private training (DP-SGD): the target ε and δ, the clipping norm, the expected
     * batch size, and the declared bounds of every numeric feature and categories of every
     * categorical one, so that no encoding statistic is taken from the data.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Privacy(Double epsilon, Double delta, Double clip, Integer batchSize,
            @Size(max = 501) Map<@Size(max = 256) String, @Size(max = 2) List<Double>> bounds,
            @Size(max = 500) Map<@Size(max = 256) String, @Size(max = 100) List<@Size(max = 256) String>> categories) {}

    static final double DEFAULT_TEST_FRACTION = 0.2;
    static final long DEFAULT_SEED = 42;

    double testFractionOrDefault() {
        return testFraction == null ? DEFAULT_TEST_FRACTION : testFraction;
    }

    long seedOrDefault() {
        return seed == null ? DEFAULT_SEED : seed;
    }
}
