package dev.citadel.deployments.runtime;

import java.util.Map;

/**
 * One model answer: a classifier's label and its scores by label (in the model's label order), or
 * a regressor's value.
 */
public record Prediction(String label, Map<String, Double> scores, Double value) {}
