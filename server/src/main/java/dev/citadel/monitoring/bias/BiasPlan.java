package dev.citadel.monitoring.bias;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A checked bias report request as its job runs it: the model version, the attribute and how its
 * cells read, the labels, and the evaluation rows — the held-out rows of the training split
 * (reproduced from the lineage's seed and test fraction, checked against its count of test rows), or
 * every row of another version.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BiasPlan(String model, int version, String attribute, String attributeType, String positiveLabel,
        String privilegedGroup, String dataset, int datasetVersion, String sha256, boolean heldOut, Double testFraction,
        Long seed, Integer testRows) {

    String rows() {
        return heldOut ? "held-out" : "all";
    }
}
