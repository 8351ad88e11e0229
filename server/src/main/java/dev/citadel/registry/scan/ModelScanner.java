package dev.citadel.registry.scan;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TrainingInfoProto;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether an uploaded file may be stored as a model: it must be a well-formed, self-contained
 * ONNX model within the {@link ScanLimits} that uses only the standard operator domains.
 *
 * <p>Security guarantees: this is an allow-list. A file is accepted only if it parses completely as an
 * ONNX {@code ModelProto} with no fields outside the schema, and every graph in it (subgraphs
 * included) passes the checks; anything else is rejected with a {@code CitadelException} naming the
 * rule, including files the scanner has never seen. It reads only the bytes it is given: it never
 * follows a path named in the file, deserializes nothing but protobuf, and extracts no archive. It does
 * not prove the model is correct or harmless in what it computes (a standard operator can still be
 * slow or memory-hungry within the limits); ONNX Runtime's own checks run when the model is loaded.
 * Thread-safe: each call keeps its state on the stack.
 */
public final class ModelScanner {

    /** Message levels a graph nesting step takes: graph, node, attribute. */
    private static final int MESSAGE_LEVELS_PER_GRAPH = 3;
    /** Room for the messages below the deepest graph (types, tensors, their metadata). */
    private static final int MESSAGE_LEVELS_BELOW_GRAPH = 16;
    private static final int MAX_PRODUCER_CODE_POINTS = 200;

    private final ScanLimits limits;

    public ModelScanner(ScanLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Scans {@code bytes} and describes the model if it is accepted.
     *
     * @throws dev.citadel.platform.errors.CitadelException with {@code model.unsafe_format},
     *         {@code model.external_data}, {@code model.operator_not_allowed} or {@code model.too_large},
     *         and a field problem {@code rule} naming the failed check
     */
    public ScannedModel scan(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > limits.maxFileBytes()) {
            throw Rule.FILE_TOO_LARGE.reject("The file is larger than " + Sizes.describe(limits.maxFileBytes())
                    + ", the limit for imports.");
        }
        if (bytes.length == 0) {
            throw Rule.EMPTY_FILE.reject("The file is empty.");
        }
        ContainerSniffer.rejectKnownUnsafeFormats(bytes);
        ModelProto model = OnnxParser.parse(bytes,
                MESSAGE_LEVELS_PER_GRAPH * limits.maxGraphDepth() + MESSAGE_LEVELS_BELOW_GRAPH);
        checkHeader(model);
        Map<String, Long> opsets = opsets(model.getOpsetImportList());
        if (!model.hasGraph()) {
            throw Rule.MISSING_GRAPH.reject("The ONNX model has no graph.");
        }
        GraphWalker walker = new GraphWalker(limits);
        walker.walk(model.getGraph(), 1);
        for (TrainingInfoProto training : model.getTrainingInfoList()) {
            walker.walk(training.getInitialization(), 1);
            walker.walk(training.getAlgorithm(), 1);
        }
        if (OnnxParser.hasUnknownFieldsBelow(model)) {
            throw Rule.UNKNOWN_FIELD.reject("The model contains fields outside the ONNX schema this server checks "
                    + "against; it may come from a newer ONNX version. Export it with an earlier ONNX IR version.");
        }
        List<TensorInfo> inputs = modelInputs(model.getGraph());
        checkStructure(model.getGraph(), inputs);
        return new ScannedModel(model.getIrVersion(), opsets, inputs,
                model.getGraph().getOutputList().stream().map(OnnxTypes::describe).toList(),
                walker.nodeCount(), walker.tensorBytes(),
                UntrustedText.clean(model.getProducerName(), MAX_PRODUCER_CODE_POINTS),
                UntrustedText.clean(model.getProducerVersion(), MAX_PRODUCER_CODE_POINTS));
    }

    private static void checkHeader(ModelProto model) {
        if (model.getIrVersion() <= 0) {
            throw Rule.NOT_ONNX.reject("The file is not an ONNX model: it has no IR version.");
        }
        if (model.getFunctionsCount() > 0) {
            throw Rule.LOCAL_FUNCTIONS.reject("The model defines its own functions (ONNX local functions); only "
                    + "operators from the standard ONNX domains are allowed. Inline the functions when exporting.");
        }
        if (model.getOpsetImportCount() == 0) {
            throw Rule.NOT_ONNX.reject("The ONNX model imports no operator set.");
        }
    }

    /** Versions by domain, the default domain named {@code ai.onnx}; each domain imported once. */
    private static Map<String, Long> opsets(List<OperatorSetIdProto> imports) {
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto opset : imports) {
            GraphWalker.checkDomain(opset.getDomain());
            String domain = opset.getDomain().isEmpty() ? "ai.onnx" : opset.getDomain();
            if (opset.getVersion() <= 0) {
                throw Rule.NOT_ONNX.reject("The ONNX model imports the operator set " + domain
                        + " without a valid version.");
            }
            if (opsets.putIfAbsent(domain, opset.getVersion()) != null) {
                throw Rule.NOT_ONNX.reject("The ONNX model imports the operator set " + domain + " more than once.");
            }
        }
        return opsets;
    }

    /** Graph inputs that an initializer feeds are weights with a default, not something a caller supplies. */
    private static List<TensorInfo> modelInputs(GraphProto graph) {
        Set<String> initialized = new HashSet<>();
        for (TensorProto initializer : graph.getInitializerList()) {
            initialized.add(initializer.getName());
        }
        for (SparseTensorProto initializer : graph.getSparseInitializerList()) {
            initialized.add(initializer.getValues().getName());
        }
        return graph.getInputList().stream()
                .filter(input -> !initialized.contains(input.getName()))
                .map(OnnxTypes::describe)
                .toList();
    }

    private static void checkStructure(GraphProto graph, List<TensorInfo> inputs) {
        if (graph.getNodeCount() == 0) {
            throw Rule.MISSING_GRAPH.reject("The ONNX model's graph has no nodes.");
        }
        if (inputs.isEmpty()) {
            throw Rule.MISSING_GRAPH.reject("The ONNX model's graph has no inputs.");
        }
        if (graph.getOutputCount() == 0) {
            throw Rule.MISSING_GRAPH.reject("The ONNX model's graph has no outputs.");
        }
    }
}
