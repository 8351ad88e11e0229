package dev.citadel.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnx.proto.OnnxMl.ModelProto;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.registry.scan.MaliciousModels.Sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelScannerTest {

    /** Small limits so the over-limit samples stay small. */
    private static final ScanLimits SMALL = new ScanLimits(64 << 10, 50, 16 << 10, 4);

    private final ModelScanner scanner = new ModelScanner(SMALL);

    static List<Sample> maliciousFiles() {
        return MaliciousModels.all(SMALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maliciousFiles")
    void refusesMaliciousOrBrokenFileNamingTheRule(Sample sample) {
        assertRejected(() -> scanner.scan(sample.bytes()), sample.code(), sample.rule());
    }

    @Test
    void theSamplesAreRefusedUnderTheDefaultLimitsToo() {
        ModelScanner defaults = new ModelScanner(ScanLimits.DEFAULTS);
        for (Sample sample : MaliciousModels.all(ScanLimits.DEFAULTS)) {
            assertRejected(() -> defaults.scan(sample.bytes()), sample.code(), sample.rule());
        }
    }

    @Test
    void acceptsLogisticRegressionAndDescribesIt() {
        ScannedModel model = scanner.scan(ValidModels.logisticRegression());

        assertThat(model.irVersion()).isEqualTo(8);
        assertThat(model.opsets()).containsExactly(Map.entry("ai.onnx", 13L));
        // "W" is listed as a graph input but an initializer feeds it: a weight, not a model input
        assertThat(model.inputs()).containsExactly(new TensorInfo("X", "float", List.of(-1L, 3L)));
        assertThat(model.outputs()).containsExactly(new TensorInfo("Y", "float", List.of(-1L, 1L)));
        assertThat(model.nodeCount()).isEqualTo(3);
        assertThat(model.initializerBytes()).isEqualTo(16);
        assertThat(model.producerName()).isEqualTo("citadel-tests");
        assertThat(model.producerVersion()).isEqualTo("1");
    }

    @Test
    void onnxRuntimeOpensTheAcceptedModelAndPredicts() throws Exception {
        byte[] bytes = ValidModels.logisticRegression();
        scanner.scan(bytes);

        float[][] x = {{1f, 2f, 3f}};
        float z = x[0][0] * ValidModels.WEIGHTS[0] + x[0][1] * ValidModels.WEIGHTS[1] + x[0][2] * ValidModels.WEIGHTS[2]
                + ValidModels.BIAS;
        float[][] y = (float[][]) run(bytes, x);

        assertThat(y[0][0]).isCloseTo((float) (1 / (1 + Math.exp(-z))), within(1e-6f));
    }

    @Test
    void acceptsAnOnnxMlOperatorThatOnnxRuntimeRuns() throws Exception {
        byte[] bytes = ValidModels.linearClassifier();

        ScannedModel model = scanner.scan(bytes);

        assertThat(model.opsets()).containsExactly(Map.entry("ai.onnx", 13L), Map.entry("ai.onnx.ml", 1L));
        assertThat(model.outputs()).containsExactly(new TensorInfo("Y", "int64", List.of(-1L)),
                new TensorInfo("Z", "float", List.of(-1L, 2L)));
        // scores: class 0 = -1 + 0.5·0 + 0.25·0 + 0.1, class 1 = 1 - 0 - 0 - 0.1
        long[] labels = (long[]) run(bytes, new float[][] {{1f, 0f, 0f}});
        assertThat(labels).containsExactly(1L);
    }

    @Test
    void externalDataNamingASymlinkIsRefusedWithoutTheFileSystemBeingRead(@TempDir Path folder) throws Exception {
        Path link = Files.createSymbolicLink(folder.resolve("weights.bin"), Path.of("/etc/passwd"));
        Path model = Files.write(folder.resolve("model.onnx"), MaliciousModels.externalData("weights.bin"));

        assertRejected(() -> scanner.scan(Files.readAllBytes(model)), ErrorCode.MODEL_EXTERNAL_DATA, "external-data");
        // the scanner takes bytes, not a path: it has no folder to resolve "weights.bin" against
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void subgraphsUpToTheDepthLimitAreAccepted() {
        ScannedModel model = scanner.scan(MaliciousModels.nestedIfs(SMALL.maxGraphDepth()));

        assertThat(model.inputs()).extracting(TensorInfo::name).containsExactly("C");
        assertThat(model.inputs().getFirst().elementType()).isEqualTo("bool");
        assertThat(model.inputs().getFirst().shape()).isEmpty();
    }

    @Test
    void nodesInSubgraphsCountTowardsTheLimit() {
        ModelScanner tight = new ModelScanner(new ScanLimits(SMALL.maxFileBytes(), 4, SMALL.maxInitializerBytes(), 8));
        byte[] fiveNodes = MaliciousModels.nestedIfs(3); // If, If, Constant, Constant, Constant

        assertRejected(() -> tight.scan(fiveNodes), ErrorCode.MODEL_TOO_LARGE, "too-many-nodes");
        assertThat(scanner.scan(fiveNodes).nodeCount()).isEqualTo(5);
    }

    @Test
    void theLimitsAreInclusive() {
        ScanLimits exact = new ScanLimits(ValidModels.logisticRegression().length, 3, 16, 1);

        assertThat(new ModelScanner(exact).scan(ValidModels.logisticRegression()).nodeCount()).isEqualTo(3);
    }

    @Test
    void messagesQuoteNamesFromTheFileOnlyCleanedAndShort() {
        String hostile = "\u001b[31mcom.evil\r\nFAKE LOG LINE\u202e" + "x".repeat(5_000);

        CitadelException e = assertRejected(() -> scanner.scan(MaliciousModels.customDomain(hostile)),
                ErrorCode.MODEL_OPERATOR_NOT_ALLOWED, "custom-domain");

        assertThat(e.detail()).doesNotContain("\u001b", "\r", "\n", "\u202e").hasSizeLessThan(300)
                .contains("com.evilFAKE LOG LINE");
    }

    @Test
    void everyPrefixOfAValidModelIsRefused() {
        byte[] model = ValidModels.logisticRegression();
        for (int length = 0; length < model.length; length++) {
            byte[] prefix = java.util.Arrays.copyOf(model, length);
            assertThat(catchThrowable(() -> scanner.scan(prefix))).as("prefix of %d bytes", length)
                    .isInstanceOf(CitadelException.class);
        }
    }

    @Test
    void randomBytesAreAlwaysRefusedWithACitadelException() {
        Random random = new Random(20_240_601L);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(2_048)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length > 0) {
                bytes[0] = 0x08; // ModelProto's ir_version tag, so the parser gets further in
            }
            assertThat(catchThrowable(() -> scanner.scan(bytes))).as("random input %d", i)
                    .isInstanceOf(CitadelException.class);
        }
    }

    @Test
    void mutatedModelsAreAcceptedOrRefusedButNeverCrashTheScanner() {
        Random random = new Random(7L);
        List<byte[]> seeds = List.of(ValidModels.logisticRegression(), ValidModels.linearClassifier(),
                MaliciousModels.nestedIfs(3), MaliciousModels.externalDataInIfBranch());
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = seeds.get(i % seeds.size()).clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            Throwable thrown = catchThrowable(() -> scanner.scan(bytes));
            assertThat(thrown == null || thrown instanceof CitadelException).as("mutation %d threw %s", i, thrown)
                    .isTrue();
        }
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeItIsLookedAt() {
        byte[] pickleOverTheLimit = java.util.Arrays.copyOf(MaliciousModels.pickle(4), (int) SMALL.maxFileBytes() + 1);

        assertRejected(() -> scanner.scan(pickleOverTheLimit), ErrorCode.MODEL_TOO_LARGE, "file-too-large");
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ScanLimits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScanLimits(1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aModelWithDataAndAnUnknownFieldOnlyDeepInsideIsStillRefused() {
        ModelProto model = ValidModels.logisticRegressionProto();
        byte[] bytes = model.toBuilder().setGraph(model.getGraph().toBuilder().setNode(0, model.getGraph().getNode(0)
                .toBuilder().setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder().addField(50,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())))
                .build().toByteArray();

        assertRejected(() -> scanner.scan(bytes), ErrorCode.MODEL_UNSAFE_FORMAT, "unknown-field");
    }

    private static CitadelException assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable scan,
            ErrorCode code, String rule) {
        Throwable thrown = catchThrowable(scan);
        assertThat(thrown).isInstanceOf(CitadelException.class);
        CitadelException e = (CitadelException) thrown;
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.fieldProblems()).containsExactly(new CitadelException.FieldProblem("rule", rule));
        assertThat(e.detail()).isNotBlank().endsWith(".");
        return e;
    }

    /** Runs the model once in ONNX Runtime on input "X" and returns its first output. */
    private static Object run(byte[] model, float[][] input) throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            // the logistic regression lists its weight as an input on purpose; keep ORT's warning about it quiet
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            try (OrtSession session = environment.createSession(model, options);
                    OnnxTensor tensor = OnnxTensor.createTensor(environment, input);
                    OrtSession.Result result = session.run(Map.of("X", tensor))) {
                return result.get(0).getValue();
            }
        }
    }
}
