package dev.citadel.registry;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a model takes and gives, as serving validates it: its features in order and its target.
 *
 * @param features the model's inputs in the order its artifact expects them
 * @param target   what it predicts (labels in output order for classifiers)
 * @param vector   for trained models, the encoded inputs in the order the artifact takes them
 *                 (numbers by column name, categories as {@code column=value} one-hot slots)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputSchema(List<Feature> features, Target target, List<String> vector) {

    /** The schema for metadata views: sensitive features' categories and statistics, and the vector, left out. */
    InputSchema redacted() {
        if (features == null || features.stream().noneMatch(f -> Boolean.TRUE.equals(f.sensitive()))) {
            return this;
        }
        return new InputSchema(features.stream().map(Feature::redacted).toList(), target, null);
    }

    /**
     * One input.
     *
     * @param type       integer, decimal, boolean, categorical (trained) or the ONNX element type (imported)
     * @param categories the allowed categories of a categorical feature, in encoding order
     * @param mean       the training mean: missing values are replaced by it, and numbers are
     *                   standardised with it and {@code std} when {@code standardized} is true
     * @param transform  the privacy transform serving re-applies to the raw input (e.g. tokenize)
     * @param shape      the tensor shape of an imported model's input (-1 for any)
     * @param sensitive  true when the column held sensitive data (a finding, kept or protected): its
     *                   categories and statistics are in the signed manifest, which only
     *                   {@code models.export} may download, and are left out of metadata views
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Feature(String name, String type, List<String> categories, Double mean, Double std,
            Boolean standardized, String transform, List<Long> shape, Boolean sensitive) {

        /** This feature as metadata readers see it: a sensitive column's values and statistics left out. */
        Feature redacted() {
            return Boolean.TRUE.equals(sensitive) ? new Feature(name, type, null, null, null, standardized, transform, shape,
                    true) : this;
        }
    }

    /**
     * The predicted column.
     *
     * @param labels a classifier's labels, in the order of its score outputs
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(String name, String type, List<String> labels) {}
}
