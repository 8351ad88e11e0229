package dev.citadel.registry.scan;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Small, valid ONNX models built with the ONNX protobuf builders, and the pieces to build more
 * (MaliciousModels bends them into hostile variants; registry tests can upload them).
 */
public final class ValidModels {

    /** Weights of {@link #logisticRegression()}: {@code sigmoid(x · W + b)}. */
    public static final float[] WEIGHTS = {0.5f, -0.25f, 1.0f};
    public static final float BIAS = 0.1f;

    private ValidModels() {}

    /** Logistic regression over a float [N,3] input "X": MatMul, Add, Sigmoid to a float [N,1] output "Y". */
    public static byte[] logisticRegression() {
        return logisticRegressionProto().toByteArray();
    }

    /**
     * The logistic regression as a message, to modify. Its weight initializer "W" is also listed as a
     * graph input, as older exporters do, so it is an overridable weight and not a model input; the bias
     * is stored as raw little-endian bytes, the weights as typed floats.
     */
    public static ModelProto logisticRegressionProto() {
        GraphProto graph = GraphProto.newBuilder()
                .setName("logistic_regression")
                .addInput(tensorValue("X", TensorProto.DataType.FLOAT, "N", 3L))
                .addInput(tensorValue("W", TensorProto.DataType.FLOAT, 3L, 1L))
                .addOutput(tensorValue("Y", TensorProto.DataType.FLOAT, "N", 1L))
                .addInitializer(TensorProto.newBuilder().setName("W").setDataType(TensorProto.DataType.FLOAT_VALUE)
                        .addDims(3).addDims(1).addFloatData(WEIGHTS[0]).addFloatData(WEIGHTS[1]).addFloatData(WEIGHTS[2]))
                .addInitializer(TensorProto.newBuilder().setName("B").setDataType(TensorProto.DataType.FLOAT_VALUE)
                        .addDims(1).setRawData(littleEndianFloats(BIAS)))
                .addNode(node("MatMul", List.of("X", "W"), List.of("XW")))
                .addNode(node("Add", List.of("XW", "B"), List.of("Z")))
                .addNode(node("Sigmoid", List.of("Z"), List.of("Y")))
                .build();
        return model(graph, opset("", 13));
    }

    /**
     * An ONNX-ML {@code LinearClassifier} (domain ai.onnx.ml) over a float [N,3] input "X": labels "Y"
     * (int64 [N]) and scores "Z" (float [N,2]).
     */
    public static byte[] linearClassifier() {
        NodeProto classifier = node("LinearClassifier", List.of("X"), List.of("Y", "Z")).toBuilder()
                .setDomain("ai.onnx.ml")
                .addAttribute(AttributeProto.newBuilder().setName("classlabels_ints")
                        .setType(AttributeProto.AttributeType.INTS).addInts(0).addInts(1))
                .addAttribute(AttributeProto.newBuilder().setName("coefficients")
                        .setType(AttributeProto.AttributeType.FLOATS)
                        .addAllFloats(List.of(-1.0f, 0.5f, 0.25f, 1.0f, -0.5f, -0.25f)))
                .addAttribute(AttributeProto.newBuilder().setName("intercepts")
                        .setType(AttributeProto.AttributeType.FLOATS).addFloats(0.1f).addFloats(-0.1f))
                .addAttribute(AttributeProto.newBuilder().setName("post_transform")
                        .setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8("NONE")))
                .build();
        GraphProto graph = GraphProto.newBuilder()
                .setName("linear_classifier")
                .addInput(tensorValue("X", TensorProto.DataType.FLOAT, "N", 3L))
                .addOutput(tensorValue("Y", TensorProto.DataType.INT64, "N"))
                .addOutput(tensorValue("Z", TensorProto.DataType.FLOAT, "N", 2L))
                .addNode(classifier)
                .build();
        return model(graph, opset("", 13), opset("ai.onnx.ml", 1)).toByteArray();
    }

    public static ModelProto model(GraphProto graph, OperatorSetIdProto... opsets) {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("citadel-tests")
                .setProducerVersion("1")
                .setGraph(graph)
                .addAllOpsetImport(List.of(opsets))
                .build();
    }

    public static OperatorSetIdProto opset(String domain, long version) {
        return OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version).build();
    }

    public static NodeProto node(String opType, List<String> inputs, List<String> outputs) {
        return NodeProto.newBuilder().setOpType(opType).addAllInput(inputs).addAllOutput(outputs)
                .setName(opType + "_" + outputs.getFirst()).build();
    }

    /** A tensor value; each dimension is a Long (fixed) or a String (symbolic). */
    public static ValueInfoProto tensorValue(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            shape.addDim(dim instanceof Long fixed
                    ? TensorShapeProto.Dimension.newBuilder().setDimValue(fixed)
                    : TensorShapeProto.Dimension.newBuilder().setDimParam((String) dim));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    public static ByteString littleEndianFloats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return ByteString.copyFrom(buffer.array());
    }
}
