package dev.citadel.registry.scan;

import static dev.citadel.registry.scan.ValidModels.model;
import static dev.citadel.registry.scan.ValidModels.node;
import static dev.citadel.registry.scan.ValidModels.opset;
import static dev.citadel.registry.scan.ValidModels.tensorValue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.FunctionProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import dev.citadel.platform.errors.ErrorCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hostile and broken model files, built in code, each with the error code and scanner rule it must
 * be refused with. Nothing here is ever loaded: the pickles call {@code os.system} only if something
 * unpickled them.
 */
public final class MaliciousModels {

    /** The harmless command the pickle payloads would run. */
    public static final String COMMAND = "echo citadel-scan-test";

    /** One file the scanner must refuse, and how. */
    public record Sample(String name, byte[] bytes, ErrorCode code, String rule) {
        @Override
        public String toString() {
            return name + " -> " + rule;
        }
    }

    private MaliciousModels() {}

    /**
     * Every sample, sized against {@code limits} (too many nodes is one more than allowed, and so on).
     * The over-size file and the over-size raw initializer are included only when the limits are at most
     * 16 MiB, so a test with default limits does not allocate hundreds of megabytes.
     */
    public static List<Sample> all(ScanLimits limits) {
        List<Sample> samples = new ArrayList<>();
        for (int protocol = 0; protocol <= 5; protocol++) {
            samples.add(unsafe("pickle protocol " + protocol, pickle(protocol), "pickle"));
        }
        samples.add(unsafe("joblib (zlib-compressed pickle)", joblib(), "joblib"));
        samples.add(unsafe("joblib ZF container", joblibZf(), "joblib"));
        samples.add(unsafe("PyTorch archive", pytorchArchive(), "pytorch-archive"));
        samples.add(unsafe("Java serialized HashMap", javaSerialized(), "java-serialization"));
        for (String entry : List.of("../../evil.sh", "/etc/cron.d/x", "..\\x", "models/../../x", "C:/Windows/evil.dll")) {
            samples.add(unsafe("zip-slip " + entry, zip(entry, "data.pkl"), "archive-path-traversal"));
        }
        samples.add(unsafe("zip holding an ONNX file", zip("model.onnx"), "zip-archive"));
        samples.add(unsafe("empty file", new byte[0], "empty-file"));
        samples.add(unsafe("text that is not ONNX", "hello, world\n".getBytes(StandardCharsets.US_ASCII), "not-onnx"));
        samples.add(unsafe("truncated model", truncated(), "truncated"));
        samples.add(unsafe("unknown field on the model", unknownModelField(), "not-onnx"));
        samples.add(unsafe("trailing end-group tag", trailingEndGroup(), "not-onnx"));
        samples.add(unsafe("unknown tensor data location", unknownDataLocation(), "unknown-field"));
        samples.add(unsafe("no graph", ValidModels.logisticRegressionProto().toBuilder().clearGraph().build().toByteArray(),
                "missing-graph"));
        samples.add(unsafe("no IR version", ValidModels.logisticRegressionProto().toBuilder().clearIrVersion().build()
                .toByteArray(), "not-onnx"));
        samples.add(unsafe("no opset import", ValidModels.logisticRegressionProto().toBuilder().clearOpsetImport().build()
                .toByteArray(), "not-onnx"));
        for (String location : List.of("../x", "a/../../x", "/etc/passwd", "weights.bin")) {
            samples.add(new Sample("external data at " + location, externalData(location),
                    ErrorCode.MODEL_EXTERNAL_DATA, "external-data"));
        }
        samples.add(new Sample("external data location flag only", externalDataFlagOnly(),
                ErrorCode.MODEL_EXTERNAL_DATA, "external-data"));
        samples.add(new Sample("external data in an If branch", externalDataInIfBranch(),
                ErrorCode.MODEL_EXTERNAL_DATA, "external-data"));
        samples.add(new Sample("external data in a sparse initializer", externalDataInSparseInitializer(),
                ErrorCode.MODEL_EXTERNAL_DATA, "external-data"));
        samples.add(new Sample("custom operator domain", customDomain("com.evil"),
                ErrorCode.MODEL_OPERATOR_NOT_ALLOWED, "custom-domain"));
        samples.add(new Sample("ONNX Runtime contrib domain", customDomain("com.microsoft"),
                ErrorCode.MODEL_OPERATOR_NOT_ALLOWED, "custom-domain"));
        samples.add(new Sample("custom domain inside an If branch", customDomainInIfBranch(),
                ErrorCode.MODEL_OPERATOR_NOT_ALLOWED, "custom-domain"));
        samples.add(new Sample("model-local function", localFunction(),
                ErrorCode.MODEL_OPERATOR_NOT_ALLOWED, "local-functions"));
        samples.add(new Sample("too many nodes", chainOfIdentities(limits.maxNodes() + 1),
                ErrorCode.MODEL_TOO_LARGE, "too-many-nodes"));
        samples.add(new Sample("initializer with an absurd shape", absurdInitializerShape(),
                ErrorCode.MODEL_TOO_LARGE, "initializer-too-large"));
        samples.add(new Sample("sparse initializer with an absurd dense shape", absurdSparseInitializer(),
                ErrorCode.MODEL_TOO_LARGE, "initializer-too-large"));
        samples.add(new Sample("subgraphs nested too deep", nestedIfs(limits.maxGraphDepth() + 1),
                ErrorCode.MODEL_TOO_LARGE, "nesting-too-deep"));
        samples.add(new Sample("types nested beyond the parser's limit", deeplyNestedType(500),
                ErrorCode.MODEL_TOO_LARGE, "nesting-too-deep"));
        if (limits.maxInitializerBytes() <= (16 << 20)) {
            samples.add(new Sample("initializer over the size limit", largeInitializer((int) limits.maxInitializerBytes() + 1),
                    ErrorCode.MODEL_TOO_LARGE, "initializer-too-large"));
        }
        if (limits.maxFileBytes() <= (16 << 20)) {
            byte[] model = ValidModels.logisticRegression();
            samples.add(new Sample("file over the size limit", Arrays.copyOf(model, (int) limits.maxFileBytes() + 1),
                    ErrorCode.MODEL_TOO_LARGE, "file-too-large"));
        }
        return samples;
    }

    private static Sample unsafe(String name, byte[] bytes, String rule) {
        return new Sample(name, bytes, ErrorCode.MODEL_UNSAFE_FORMAT, rule);
    }

    // --- pickles and what wraps them ---------------------------------------------------------------

    /** A pickle whose {@code __reduce__} calls {@code os.system(COMMAND)}, opcodes assembled by hand. */
    public static byte[] pickle(int protocol) {
        byte[] command = COMMAND.getBytes(StandardCharsets.US_ASCII);
        Bytes out = new Bytes();
        switch (protocol) {
            case 0 -> out.ascii("cos\nsystem\n(S'").raw(command).ascii("'\ntR.");
            // GLOBAL, BINPUT, MARK, SHORT_BINSTRING, BINPUT, TUPLE, BINPUT, REDUCE, BINPUT, STOP
            case 1 -> out.ascii("cos\nsystem\nq").u8(0).ascii("(U").u8(command.length).raw(command)
                    .ascii("q").u8(1).ascii("tq").u8(2).ascii("Rq").u8(3).ascii(".");
            // PROTO n, GLOBAL, BINPUT, BINUNICODE, BINPUT, TUPLE1, BINPUT, REDUCE, BINPUT, STOP
            case 2, 3 -> out.u8(0x80).u8(protocol).ascii("cos\nsystem\nq").u8(0).ascii("X").u32(command.length)
                    .raw(command).ascii("q").u8(1).u8(0x85).ascii("q").u8(2).ascii("Rq").u8(3).ascii(".");
            case 4, 5 -> {
                // PROTO n, FRAME, then SHORT_BINUNICODE module and name, STACK_GLOBAL, the argument,
                // TUPLE1, REDUCE, STOP, each result memoized as pickle.dumps does
                Bytes frame = new Bytes().u8(0x8C).u8(2).ascii("os").u8(0x94).u8(0x8C).u8(6).ascii("system").u8(0x94)
                        .u8(0x93).u8(0x94).u8(0x8C).u8(command.length).raw(command).u8(0x94).u8(0x85).u8(0x94)
                        .ascii("R").u8(0x94).ascii(".");
                out.u8(0x80).u8(protocol).u8(0x95).u64(frame.size()).raw(frame.toArray());
            }
            default -> throw new IllegalArgumentException("pickle protocols are 0 to 5");
        }
        return out.toArray();
    }

    /** What {@code joblib.dump(obj, f, compress=True)} writes: a zlib stream of a pickle. */
    public static byte[] joblib() {
        return deflate(pickle(2));
    }

    /** joblib's older compressed container: "ZF", the hex length, then zlib data. */
    public static byte[] joblibZf() {
        byte[] pickle = pickle(2);
        return new Bytes().ascii("ZF0x" + Integer.toHexString(pickle.length)).raw(deflate(pickle)).toArray();
    }

    /** The layout of {@code torch.save}: archive/data.pkl (the pickle), archive/version, tensor data. */
    public static byte[] pytorchArchive() {
        return zipOf(List.of(
                new ZipItem("archive/data.pkl", pickle(2)),
                new ZipItem("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII)),
                new ZipItem("archive/data/0", new byte[16])));
    }

    /** A zip whose entries have these names, each holding a pickle. */
    public static byte[] zip(String... entryNames) {
        return zipOf(Arrays.stream(entryNames).map(name -> new ZipItem(name, pickle(2))).toList());
    }

    /** A {@code HashMap} written by {@code ObjectOutputStream}; writing is safe, reading it never is. */
    public static byte[] javaSerialized() {
        HashMap<String, String> map = new HashMap<>();
        map.put("model", "weights");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // --- broken protobuf -----------------------------------------------------------------------------

    /** A valid model cut in half. */
    public static byte[] truncated() {
        byte[] model = ValidModels.logisticRegression();
        return Arrays.copyOf(model, model.length / 2);
    }

    /** A valid model plus a varint in field 99, which ModelProto does not define. */
    public static byte[] unknownModelField() {
        return ValidModels.logisticRegressionProto().toBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())
                .build().toByteArray();
    }

    /** A valid model followed by an end-group tag (field 1), which would stop a lax parser early. */
    public static byte[] trailingEndGroup() {
        return new Bytes().raw(ValidModels.logisticRegression()).u8(0x0C).ascii("junk that is never parsed").toArray();
    }

    /** A weight whose data_location (field 13) is 7, a value ONNX does not define. */
    public static byte[] unknownDataLocation() {
        return withWeights(w -> w.setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(13, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build()));
    }

    // --- external data -------------------------------------------------------------------------------

    /** The logistic regression with its weights in an external file at {@code location}. */
    public static byte[] externalData(String location) {
        return withWeights(w -> w.clearFloatData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addAllExternalData(externalEntries(location)));
    }

    /** External data declared only by the location flag, with no entries saying where. */
    public static byte[] externalDataFlagOnly() {
        return withWeights(w -> w.clearFloatData().setDataLocation(TensorProto.DataLocation.EXTERNAL));
    }

    /** A {@code Constant} in the then-branch of an {@code If} whose value lives in an external file. */
    public static byte[] externalDataInIfBranch() {
        TensorProto external = TensorProto.newBuilder().setName("hidden").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(1).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addAllExternalData(externalEntries("/etc/passwd")).build();
        return ifModel(constantBranch(external), constantBranch(floatTensor("safe", 1f))).toByteArray();
    }

    /** A sparse initializer whose values are external. */
    public static byte[] externalDataInSparseInitializer() {
        TensorProto values = TensorProto.newBuilder().setName("S").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(1).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addAllExternalData(externalEntries("../../secrets")).build();
        TensorProto indices = TensorProto.newBuilder().setName("S_indices")
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(1).addInt64Data(0).build();
        ModelProto model = ValidModels.logisticRegressionProto();
        return model.toBuilder().setGraph(model.getGraph().toBuilder().addSparseInitializer(
                SparseTensorProto.newBuilder().setValues(values).setIndices(indices).addDims(4))).build().toByteArray();
    }

    private static List<StringStringEntryProto> externalEntries(String location) {
        return List.of(entry("location", location), entry("offset", "0"), entry("length", "12"));
    }

    // --- operators outside the standard domains -------------------------------------------------------

    /** The Sigmoid moved to {@code domain}, which the model imports. */
    public static byte[] customDomain(String domain) {
        ModelProto model = ValidModels.logisticRegressionProto();
        GraphProto.Builder graph = model.getGraph().toBuilder();
        graph.setNode(2, graph.getNode(2).toBuilder().setDomain(domain).setOpType("Exec"));
        return model.toBuilder().setGraph(graph).addOpsetImport(opset(domain, 1)).build().toByteArray();
    }

    /** A custom-domain node inside an If branch; the domain is not even imported. */
    public static byte[] customDomainInIfBranch() {
        GraphProto branch = constantBranch(floatTensor("c", 1f)).toBuilder()
                .addNode(node("Exec", List.of("c"), List.of("unused")).toBuilder().setDomain("com.evil"))
                .build();
        return ifModel(branch, constantBranch(floatTensor("safe", 1f))).toByteArray();
    }

    /** The Sigmoid replaced by a call to a function the model defines itself. */
    public static byte[] localFunction() {
        FunctionProto function = FunctionProto.newBuilder().setName("Evil").setDomain("com.local")
                .addInput("x").addOutput("y").addNode(node("Sigmoid", List.of("x"), List.of("y")))
                .addOpsetImport(opset("", 13)).build();
        ModelProto model = ValidModels.logisticRegressionProto();
        GraphProto.Builder graph = model.getGraph().toBuilder();
        graph.setNode(2, graph.getNode(2).toBuilder().setDomain("com.local").setOpType("Evil"));
        return model.toBuilder().setGraph(graph).addFunctions(function).addOpsetImport(opset("com.local", 1))
                .build().toByteArray();
    }

    // --- limits -----------------------------------------------------------------------------------------

    /** A valid graph of {@code count} chained Identity nodes. */
    public static byte[] chainOfIdentities(int count) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("chain")
                .addInput(tensorValue("t0", TensorProto.DataType.FLOAT, "N"))
                .addOutput(tensorValue("t" + count, TensorProto.DataType.FLOAT, "N"));
        for (int i = 0; i < count; i++) {
            graph.addNode(node("Identity", List.of("t" + i), List.of("t" + (i + 1))));
        }
        return model(graph.build(), opset("", 13)).toByteArray();
    }

    /** A weight with {@code bytes} bytes of raw data. */
    public static byte[] largeInitializer(int bytes) {
        return withWeights(w -> w.clearFloatData().clearDims().addDims(bytes / 4 + 1)
                .setRawData(ByteString.copyFrom(new byte[bytes])));
    }

    /** A weight declaring 2^20 × 2^20 floats (4 TiB) and holding none of them. */
    public static byte[] absurdInitializerShape() {
        return withWeights(w -> w.clearFloatData().clearDims().addDims(1L << 20).addDims(1L << 20));
    }

    /** A sparse initializer with one stored value whose dense form would hold 2^62 floats. */
    public static byte[] absurdSparseInitializer() {
        TensorProto values = floatTensor("S", 1f);
        TensorProto indices = TensorProto.newBuilder().setName("S_indices")
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(1).addInt64Data(0).build();
        ModelProto model = ValidModels.logisticRegressionProto();
        return model.toBuilder().setGraph(model.getGraph().toBuilder().addSparseInitializer(
                SparseTensorProto.newBuilder().setValues(values).setIndices(indices).addDims(1L << 62)))
                .build().toByteArray();
    }

    /** If nodes nested so the innermost branch is graph number {@code deepestGraph} (the main graph is 1). */
    public static byte[] nestedIfs(int deepestGraph) {
        return ifModel(branchAt(2, deepestGraph), constantBranch(floatTensor("leaf", 1f))).toByteArray();
    }

    private static GraphProto branchAt(int depth, int deepestGraph) {
        if (depth >= deepestGraph) {
            return constantBranch(floatTensor("leaf", 1f));
        }
        return ifGraph(branchAt(depth + 1, deepestGraph), constantBranch(floatTensor("leaf", 1f)), "branch_out")
                .toBuilder().addOutput(tensorValue("branch_out", TensorProto.DataType.FLOAT, 1L)).build();
    }

    /** An input whose type is a sequence of a sequence of … {@code levels} deep. */
    public static byte[] deeplyNestedType(int levels) {
        TypeProto type = TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)).build();
        for (int i = 0; i < levels; i++) {
            type = TypeProto.newBuilder().setSequenceType(TypeProto.Sequence.newBuilder().setElemType(type)).build();
        }
        ModelProto model = ValidModels.logisticRegressionProto();
        return model.toBuilder().setGraph(model.getGraph().toBuilder()
                .addInput(ValueInfoProto.newBuilder().setName("deep").setType(type))).build().toByteArray();
    }

    // --- builders -----------------------------------------------------------------------------------------

    /** The logistic regression with its weight initializer "W" changed. */
    public static byte[] withWeights(UnaryOperator<TensorProto.Builder> change) {
        ModelProto model = ValidModels.logisticRegressionProto();
        GraphProto.Builder graph = model.getGraph().toBuilder();
        graph.setInitializer(0, change.apply(graph.getInitializer(0).toBuilder()));
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }

    /** A model "Y = If(C, then, else)" over a boolean scalar input "C". */
    public static ModelProto ifModel(GraphProto thenBranch, GraphProto elseBranch) {
        GraphProto graph = ifGraph(thenBranch, elseBranch, "Y").toBuilder()
                .addInput(tensorValue("C", TensorProto.DataType.BOOL))
                .addOutput(tensorValue("Y", TensorProto.DataType.FLOAT, 1L))
                .build();
        return model(graph, opset("", 13));
    }

    private static GraphProto ifGraph(GraphProto thenBranch, GraphProto elseBranch, String output) {
        NodeProto ifNode = node("If", List.of("C"), List.of(output)).toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                        .setType(AttributeProto.AttributeType.GRAPH).setG(thenBranch))
                .addAttribute(AttributeProto.newBuilder().setName("else_branch")
                        .setType(AttributeProto.AttributeType.GRAPH).setG(elseBranch))
                .build();
        return GraphProto.newBuilder().setName("if_" + output).addNode(ifNode).build();
    }

    /** A branch graph with one Constant node producing {@code value}. */
    public static GraphProto constantBranch(TensorProto value) {
        NodeProto constant = node("Constant", List.of(), List.of("branch_out")).toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("value")
                        .setType(AttributeProto.AttributeType.TENSOR).setT(value))
                .build();
        return GraphProto.newBuilder().setName("branch").addNode(constant)
                .addOutput(tensorValue("branch_out", TensorProto.DataType.FLOAT, 1L)).build();
    }

    public static TensorProto floatTensor(String name, float value) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(1).addFloatData(value).build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private record ZipItem(String name, byte[] content) {}

    private static byte[] zipOf(List<ZipItem> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (ZipItem item : items) {
                zip.putNextEntry(new ZipEntry(item.name()));
                zip.write(item.content());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Appends bytes the way pickle opcodes are written. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int value) {
            out.write(value);
            return this;
        }

        Bytes u32(int value) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        }

        Bytes u64(long value) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }

        Bytes ascii(String text) {
            return raw(text.getBytes(StandardCharsets.US_ASCII));
        }

        Bytes raw(byte[] data) {
            out.writeBytes(data);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }
}
