package dev.citadel.deployments.runtime;

import java.util.List;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.registry.ModelManifest;
import dev.citadel.registry.Models;

/**
 * A verified model loaded for offline evaluation (bias reports), outside the serving cache: any
 * stage may be evaluated — a candidate is checked before anyone approves it — so it must never be
 * shared with serving, which serves approved versions only. The caller closes it.
 */
public final class EvaluationModel implements AutoCloseable {

    private final ModelManifest manifest;
    private final LoadedModel runtime;
    private final InstanceEncoder encoder;

    private EvaluationModel(ModelManifest manifest, LoadedModel runtime, InstanceEncoder encoder) {
        this.manifest = manifest;
        this.runtime = runtime;
        this.encoder = encoder;
    }

    /**
     * Loads a model {@link Models#load} has verified (signature and digest), with one inference thread.
     *
     * @throws IllegalArgumentException when the model's input schema does not name columns rows can feed
     * @throws CitadelException {@code model.integrity_failed} when the runtime cannot load the artifact
     */
    public static EvaluationModel open(Models.VerifiedModel verified) {
        ModelManifest manifest = verified.manifest();
        InstanceEncoder encoder = InstanceEncoder.forStoredRows(manifest);
        List<String> labels = manifest.inputSchema().target() == null ? null : manifest.inputSchema().target().labels();
        try {
            LoadedModel runtime = ModelManifest.ONNX.equals(manifest.format())
                    ? new OnnxModel(verified.artifact(), labels, 1) : new TribuoModel(verified.artifact(), labels);
            return new EvaluationModel(manifest, runtime, encoder);
        } catch (Exception e) {
            throw new CitadelException(ErrorCode.MODEL_INTEGRITY_FAILED,
                    "The model verified but its runtime could not load it.", e);
        }
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /**
     * Encodes stored rows as training did: their protections were applied at ingestion, so the
     * recorded privacy transforms are not applied again, and unseen categories are ignored.
     */
    public InstanceEncoder encoder() {
        return encoder;
    }

    /** Predictions for encoded instances, in order. */
    public List<Prediction> predict(List<EncodedInstance> instances) {
        return runtime.predict(instances);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
