package dev.citadel.registry.scan;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Names and sizes of ONNX element types, and the {@link TensorInfo} of a graph input or output. */
final class OnnxTypes {

    private OnnxTypes() {}

    static TensorInfo describe(ValueInfoProto value) {
        TypeProto type = value.getType();
        return switch (type.getValueCase()) {
            case TENSOR_TYPE -> new TensorInfo(value.getName(), elementName(type.getTensorType().getElemType()),
                    shape(type.getTensorType().hasShape(), type.getTensorType().getShape()));
            case SPARSE_TENSOR_TYPE -> new TensorInfo(value.getName(),
                    "sparse_tensor<" + elementName(type.getSparseTensorType().getElemType()) + ">",
                    shape(type.getSparseTensorType().hasShape(), type.getSparseTensorType().getShape()));
            default -> new TensorInfo(value.getName(), structure(type), List.of());
        };
    }

    /** {@code float}, {@code int64}, {@code string}, … as ONNX spells the type, in lower case. */
    static String elementName(int dataType) {
        DataType known = DataType.forNumber(dataType);
        return known == null || known == DataType.UNDEFINED ? "unknown" : known.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Bits one element occupies once loaded. A string's real size is its stored data, so it counts one
     * byte here; a type this schema does not know counts one byte too.
     */
    static int elementBits(int dataType) {
        return switch (dataType) {
            case 4, 5, 10, 16 -> 16;               // uint16, int16, float16, bfloat16
            case 1, 6, 12 -> 32;                   // float, int32, uint32
            case 7, 11, 13, 14 -> 64;              // int64, double, uint64, complex64
            case 15 -> 128;                        // complex128
            case 21, 22, 23 -> 4;                  // uint4, int4, float4e2m1
            case 25, 26 -> 2;                      // uint2, int2
            default -> 8;                          // 8-bit types, bool, string, unknown
        };
    }

    private static List<Long> shape(boolean hasShape, TensorShapeProto shape) {
        if (!hasShape) {
            return List.of();
        }
        List<Long> dims = new ArrayList<>(shape.getDimCount());
        for (TensorShapeProto.Dimension dim : shape.getDimList()) {
            dims.add(dim.hasDimValue() && dim.getDimValue() >= 0 ? dim.getDimValue() : -1L);
        }
        return dims;
    }

    private static String structure(TypeProto type) {
        return switch (type.getValueCase()) {
            case TENSOR_TYPE -> elementName(type.getTensorType().getElemType());
            case SPARSE_TENSOR_TYPE -> "sparse_tensor<" + elementName(type.getSparseTensorType().getElemType()) + ">";
            case SEQUENCE_TYPE -> "sequence<" + structure(type.getSequenceType().getElemType()) + ">";
            case OPTIONAL_TYPE -> "optional<" + structure(type.getOptionalType().getElemType()) + ">";
            case MAP_TYPE -> "map<" + elementName(type.getMapType().getKeyType()) + ","
                    + structure(type.getMapType().getValueType()) + ">";
            case OPAQUE_TYPE -> "opaque";
            case VALUE_NOT_SET -> "unknown";
        };
    }
}
