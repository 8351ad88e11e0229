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

    /**
     * One input.
     *
     * @param type       integer, decimal, boolean, categorical (trained) or the ONNX element type (imported)
     * @param categories the allowed categories of a categorical feature, in encoding order
     * @param mean       the training mean: missing values are replaced by it, and numbers are
     *                   standardised with it and {@code std} when {@code standardized} is true
     * @param transform  the privacy transform serving re-applies to the raw input (e.g. tokenize)
     * @param shape      the tensor shape of an imported model's input (-1 for any)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Feature(String name, String type, List<String> categories, Double mean, Double std,
            Boolean standardized, String transform, List<Long> shape) {}

    /**
     * The predicted column.
     *
     * @param labels a classifier's labels, in the order of its score outputs
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(String name, String type, List<String> labels) {}
}
