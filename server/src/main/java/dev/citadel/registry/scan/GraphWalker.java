package dev.citadel.registry.scan;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.TensorProto;

import com.google.protobuf.ByteString;

import java.util.List;
import java.util.Set;

/**
 * Walks a graph and every graph nested in its node attributes ({@code If} branches, {@code Loop} and
 * {@code Scan} bodies), checking each node's operator domain and each tensor wherever it sits
 * (initializers, sparse initializers, tensor attributes), and counting nodes and tensor bytes against
 * the limits. One walker per model: the counts are its state.
 */
final class GraphWalker {

    /** The standard domains: the ONNX operators ({@code ""} and its alias) and the ONNX-ML operators. */
    static final Set<String> ALLOWED_DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml");

    private final ScanLimits limits;
    private int nodeCount;
    private long tensorBytes;

    GraphWalker(ScanLimits limits) {
        this.limits = limits;
    }

    int nodeCount() {
        return nodeCount;
    }

    long tensorBytes() {
        return tensorBytes;
    }

    /** Walks {@code graph}, found at {@code depth} (the main graph is 1). */
    void walk(GraphProto graph, int depth) {
        if (depth > limits.maxGraphDepth()) {
            throw Rule.NESTING_TOO_DEEP.reject("The model nests subgraphs more than " + limits.maxGraphDepth()
                    + " levels deep, the limit for imports.");
        }
        for (TensorProto initializer : graph.getInitializerList()) {
            count(tensorBytes(initializer));
        }
        for (SparseTensorProto initializer : graph.getSparseInitializerList()) {
            count(sparseTensorBytes(initializer));
        }
        for (NodeProto node : graph.getNodeList()) {
            node(node, depth);
        }
    }

    static void checkDomain(String domain) {
        if (!ALLOWED_DOMAINS.contains(domain)) {
            throw Rule.CUSTOM_DOMAIN.reject("The model uses the operator domain " + UntrustedText.quoted(domain, "")
                    + "; only the standard ONNX domains (ai.onnx, ai.onnx.ml) are allowed.");
        }
    }

    private void node(NodeProto node, int depth) {
        if (++nodeCount > limits.maxNodes()) {
            throw Rule.TOO_MANY_NODES.reject("The model has more than " + limits.maxNodes()
                    + " nodes (subgraphs included), the limit for imports.");
        }
        checkDomain(node.getDomain());
        for (AttributeProto attribute : node.getAttributeList()) {
            attribute(attribute, depth);
        }
    }

    private void attribute(AttributeProto attribute, int depth) {
        if (attribute.hasT()) {
            count(tensorBytes(attribute.getT()));
        }
        for (TensorProto tensor : attribute.getTensorsList()) {
            count(tensorBytes(tensor));
        }
        if (attribute.hasSparseTensor()) {
            count(sparseTensorBytes(attribute.getSparseTensor()));
        }
        for (SparseTensorProto tensor : attribute.getSparseTensorsList()) {
            count(sparseTensorBytes(tensor));
        }
        if (attribute.hasG()) {
            walk(attribute.getG(), depth + 1);
        }
        for (GraphProto graph : attribute.getGraphsList()) {
            walk(graph, depth + 1);
        }
    }

    /** A tensor's weight: the larger of the data it stores and the size its shape declares. */
    private long tensorBytes(TensorProto tensor) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL || tensor.getExternalDataCount() > 0) {
            // whatever the location says (a relative path, "..", an absolute path, a plain name that
            // could be a symbolic link): the scanner never resolves it, and the model is refused
            throw Rule.EXTERNAL_DATA.reject("The tensor " + UntrustedText.quoted(tensor.getName(), "without a name")
                    + " keeps its data in a separate file (ONNX external data); only self-contained models are "
                    + "accepted, so save the model with all tensor data inside the .onnx file.");
        }
        return Math.max(storedBytes(tensor), declaredBytes(tensor.getDimsList(), tensor.getDataType(), tensor.getName()));
    }

    /** ONNX Runtime expands a sparse initializer to a dense tensor, so its dense size counts too. */
    private long sparseTensorBytes(SparseTensorProto tensor) {
        long stored = saturatingAdd(tensorBytes(tensor.getValues()), tensorBytes(tensor.getIndices()));
        long dense = declaredBytes(tensor.getDimsList(), tensor.getValues().getDataType(), tensor.getValues().getName());
        return Math.max(stored, dense);
    }

    private static long storedBytes(TensorProto tensor) {
        long bytes = tensor.getRawData().size();
        bytes += 4L * (tensor.getFloatDataCount() + (long) tensor.getInt32DataCount());
        bytes += 8L * (tensor.getInt64DataCount() + (long) tensor.getDoubleDataCount() + tensor.getUint64DataCount());
        for (ByteString string : tensor.getStringDataList()) {
            bytes += string.size();
        }
        return bytes;
    }

    private long declaredBytes(List<Long> dims, int dataType, String name) {
        long elements = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw Rule.NOT_ONNX.reject("The tensor " + UntrustedText.quoted(name, "without a name")
                        + " has a negative dimension.");
            }
            elements = saturatingMultiply(elements, dim);
        }
        long bits = saturatingMultiply(elements, OnnxTypes.elementBits(dataType));
        return bits == Long.MAX_VALUE ? Long.MAX_VALUE : (bits + 7) / 8;
    }

    private void count(long bytes) {
        tensorBytes = saturatingAdd(tensorBytes, bytes);
        if (tensorBytes > limits.maxInitializerBytes()) {
            throw Rule.INITIALIZER_TOO_LARGE.reject("The model's tensor data (initializers and constants, at the size "
                    + "their shapes declare) exceeds " + Sizes.describe(limits.maxInitializerBytes())
                    + ", the limit for imports.");
        }
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
