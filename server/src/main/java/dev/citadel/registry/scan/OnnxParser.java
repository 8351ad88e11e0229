package dev.citadel.registry.scan;

import ai.onnx.proto.OnnxMl.ModelProto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import dev.citadel.platform.errors.CitadelException;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Parses bytes as an ONNX {@code ModelProto}, completely and strictly, or rejects them. */
final class OnnxParser {

    private OnnxParser() {}

    /**
     * Parses all of {@code bytes}: trailing bytes, a stray end-group tag and ModelProto fields outside
     * the ONNX schema are refused (random bytes and pickles can parse as an almost empty message made
     * only of unknown fields). The recursion limit bounds the parser's stack however deeply the file
     * nests messages.
     */
    static ModelProto parse(byte[] bytes, int recursionLimit) {
        CodedInputStream input = CodedInputStream.newInstance(bytes);
        input.enableAliasing(true); // tensor data stays in the caller's array instead of being copied
        input.setRecursionLimit(recursionLimit);
        ModelProto model;
        try {
            model = ModelProto.parser().parseFrom(input);
            input.checkLastTagWas(0);
            if (!input.isAtEnd()) {
                throw Rule.NOT_ONNX.reject("The file is not an ONNX model: bytes follow the end of the model.");
            }
        } catch (InvalidProtocolBufferException e) {
            throw rejection(e);
        } catch (IOException e) {
            throw notOnnx(); // a byte-array input has no I/O to fail; kept for the checked signature
        }
        if (!model.getUnknownFields().asMap().isEmpty()) {
            throw Rule.NOT_ONNX.reject("The file is not an ONNX model: its top-level message has fields ONNX does not "
                    + "define.");
        }
        return model;
    }

    /**
     * True if any message below the model carries a field this schema does not define: a newer ONNX
     * feature the scanner cannot vet, or an enum value it does not know (proto2 keeps those as unknown
     * fields, so an unknown tensor data location would otherwise read as the default).
     */
    static boolean hasUnknownFieldsBelow(Message message) {
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            List<?> values = field.getKey().isRepeated() ? (List<?>) field.getValue() : List.of(field.getValue());
            for (Object value : values) {
                Message child = (Message) value;
                if (!child.getUnknownFields().asMap().isEmpty() || hasUnknownFieldsBelow(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * protobuf reports every parse failure as one exception type; its fixed messages tell a truncated
     * file and a too deeply nested one from other damage (a protobuf upgrade that rewords them makes
     * these rejections read "not-onnx", which the tests would show).
     */
    private static CitadelException rejection(InvalidProtocolBufferException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("too many levels of nesting")) {
            return Rule.NESTING_TOO_DEEP.reject("The model nests its messages deeper than the scanner allows.");
        }
        if (message.contains("input ended unexpectedly")) {
            return Rule.TRUNCATED.reject("The file ends in the middle of the model: it is truncated or damaged; "
                    + "upload the complete .onnx file.");
        }
        return notOnnx();
    }

    private static CitadelException notOnnx() {
        return Rule.NOT_ONNX.reject("The file is not an ONNX model: it does not parse as an ONNX protobuf.");
    }
}
