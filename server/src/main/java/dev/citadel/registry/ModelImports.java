package dev.citadel.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Service;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.registry.scan.ModelScanner;
import dev.citadel.registry.scan.ScanLimits;
import dev.citadel.registry.scan.ScannedModel;
import dev.citadel.registry.scan.TensorInfo;

/**
 * Imports an externally trained ONNX model: the allow-list scanner first (nothing is stored
 * unless the bytes are a well-formed ONNX model within limits with standard operators), then ONNX
 * Runtime must be able to open it, then its input schema is checked against the graph; only then
 * is it stored encrypted, signed and registered as a candidate with its origin and uploader.
 */
@Service
public class ModelImports {

    private static final Pattern FEATURE_NAME = Pattern.compile("[^\\p{Cntrl}]{1,256}");
    private static final Set<String> SCHEMA_TYPES = Set.of("integer", "decimal", "boolean", "categorical", "text");

    private final Models models;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final ModelScanner scanner = new ModelScanner(ScanLimits.DEFAULTS);
    private final ObjectProvider<BuildProperties> build;
    private final ObjectProvider<GitProperties> git;

    ModelImports(Models models, AuditLog audit, TenantTransactions transactions, ObjectProvider<BuildProperties> build,
            ObjectProvider<GitProperties> git) {
        this.models = models;
        this.audit = audit;
        this.transactions = transactions;
        this.build = build;
        this.git = git;
    }

    /**
     * Scans, checks and registers {@code onnx} as a new version of {@code name}.
     *
     * @param schema the declared input schema, or null to take the graph's inputs as they are
     */
    public Models.VersionView importOnnx(TenantId tenant, String name, byte[] onnx, InputSchema schema, String filename) {
        ModelName.require(name);
        String uploader = Principals.currentActor();
        ScannedModel scanned;
        try {
            scanned = scanner.scan(onnx);
            requireRunnable(onnx);
        } catch (CitadelException e) {
            String rule = e.fieldProblems().stream().filter(p -> p.field().equals("rule")).map(CitadelException.FieldProblem::message)
                    .findFirst().orElse("none");
            transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant, "model.import",
                    "model", name, AuditOutcome.FAILURE, Map.of("code", e.code().code(), "rule", rule,
                            "sha256", Models.sha256(onnx)))));
            throw e;
        }
        InputSchema checked = schema == null ? fromGraph(scanned) : check(schema, scanned);
        Map<String, Object> lineage = new LinkedHashMap<>();
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("uploadedBy", uploader);
        if (filename != null && !filename.isBlank()) {
            origin.put("filename", clip(filename));
        }
        origin.put("producer", (scanned.producerName() + " " + scanned.producerVersion()).strip());
        origin.put("irVersion", scanned.irVersion());
        origin.put("opsets", new TreeMap<>(scanned.opsets()));
        origin.put("nodes", scanned.nodeCount());
        lineage.put("origin", origin);
        lineage.put("libraries", Map.of("onnxruntime", OrtEnvironment.getEnvironment().getVersion()));
        BuildProperties buildInfo = build.getIfAvailable();
        GitProperties gitInfo = git.getIfAvailable();
        lineage.put("citadel", Map.of("version", buildInfo == null ? "unknown" : buildInfo.getVersion(),
                "commit", gitInfo == null || gitInfo.getCommitId() == null ? "unknown" : gitInfo.getCommitId()));
        String task = checked.target() == null ? null
                : checked.target().labels() != null && !checked.target().labels().isEmpty() ? "classification" : "regression";
        return models.register(tenant, new Models.NewVersion(name, ModelManifest.IMPORTED, ModelManifest.ONNX, onnx, task,
                "onnx", checked, List.of(), Map.of(), lineage, null, uploader));
    }

    /** ONNX Runtime must open the graph (types and shapes check out); it is closed at once. */
    private static void requireRunnable(byte[] onnx) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx, options)) {
                session.getNumInputs();
            }
        } catch (OrtException e) {
            throw new CitadelException(ErrorCode.MODEL_UNSAFE_FORMAT,
                    "ONNX Runtime cannot load the model: its graph does not type-check.",
                    List.of(new CitadelException.FieldProblem("rule", "not-runnable")), null);
        }
    }

    private static InputSchema fromGraph(ScannedModel scanned) {
        List<InputSchema.Feature> features = new ArrayList<>();
        for (TensorInfo input : scanned.inputs()) {
            features.add(new InputSchema.Feature(input.name(), input.elementType(), null, null, null, null, null,
                    input.shape(), null));
        }
        return new InputSchema(features, null, null);
    }

    /**
     * A declared schema names the model's inputs one by one, or — for a model with one 2-D input —
     * the columns of that input in order (their number must match its width when the width is fixed).
     */
    private static InputSchema check(InputSchema schema, ScannedModel scanned) {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        List<InputSchema.Feature> features = schema.features() == null ? List.of() : schema.features();
        if (features.isEmpty() || features.size() > 10_000) {
            problems.add(new CitadelException.FieldProblem("features", "1 to 10000 features"));
        }
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            InputSchema.Feature f = features.get(i);
            if (f == null || f.name() == null || !FEATURE_NAME.matcher(f.name()).matches() || !names.add(f.name())) {
                problems.add(new CitadelException.FieldProblem("features[" + i + "].name", "a unique name of 1-256 characters"));
            } else if (f.type() == null || !SCHEMA_TYPES.contains(f.type())) {
                problems.add(new CitadelException.FieldProblem("features[" + i + "].type", "one of " + String.join(", ", new java.util.TreeSet<>(SCHEMA_TYPES))));
            }
        }
        List<TensorInfo> inputs = scanned.inputs();
        boolean oneMatrix = inputs.size() == 1 && inputs.get(0).shape().size() == 2;
        if (oneMatrix) {
            long width = inputs.get(0).shape().get(1);
            if (width > 0 && width != features.size()) {
                problems.add(new CitadelException.FieldProblem("features", "the model's input " + clip(inputs.get(0).name())
                        + " has " + width + " columns; the schema names " + features.size()));
            }
        } else {
            Set<String> inputNames = new java.util.TreeSet<>();
            inputs.forEach(t -> inputNames.add(t.name()));
            if (!inputNames.equals(names)) {
                problems.add(new CitadelException.FieldProblem("features", "the model's inputs are " + clip(String.join(", ",
                        inputNames)) + "; the schema must name exactly these"));
            }
        }
        if (schema.target() != null && (schema.target().name() == null || !FEATURE_NAME.matcher(schema.target().name()).matches()
                || (schema.target().labels() != null && schema.target().labels().size() > 10_000))) {
            problems.add(new CitadelException.FieldProblem("target", "a name of 1-256 characters and at most 10000 labels"));
        }
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.MODEL_INVALID_SCHEMA, "The input schema does not fit the model.", problems,
                    null);
        }
        return new InputSchema(features, schema.target(),
                oneMatrix ? features.stream().map(InputSchema.Feature::name).toList() : null);
    }

    private static String clip(String value) {
        String safe = value.replaceAll("\\p{Cntrl}", "?");
        return safe.length() > 120 ? safe.substring(0, 117) + "..." : safe;
    }
}
