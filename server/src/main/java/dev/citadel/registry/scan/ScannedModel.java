package dev.citadel.registry.scan;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the scanner learned about a model it accepted.
 *
 * @param irVersion        the ONNX IR version
 * @param opsets           operator set version by domain, in domain order; the default domain is reported
 *                         as {@code ai.onnx}
 * @param inputs           the graph inputs a caller feeds (inputs that are also initializers are weights,
 *                         not inputs, and are left out)
 * @param outputs          the graph outputs
 * @param nodeCount        nodes in the main graph and all its subgraphs
 * @param initializerBytes tensor data held in the model, as counted against
 *                         {@link ScanLimits#maxInitializerBytes()}
 * @param producerName     the exporting tool's name, with control characters removed and cut to length
 *                         (empty if absent)
 * @param producerVersion  the exporting tool's version, cleaned the same way
 */
public record ScannedModel(long irVersion, Map<String, Long> opsets, List<TensorInfo> inputs,
        List<TensorInfo> outputs, int nodeCount, long initializerBytes, String producerName,
        String producerVersion) {

    public ScannedModel {
        opsets = Collections.unmodifiableMap(new TreeMap<>(opsets));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(producerName, "producerName");
        Objects.requireNonNull(producerVersion, "producerVersion");
    }
}
