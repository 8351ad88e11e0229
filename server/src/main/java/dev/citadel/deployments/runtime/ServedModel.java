package dev.citadel.deployments.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.citadel.privacy.Tokenizer;
import dev.citadel.registry.ModelManifest;

/** A verified model in the cache: its manifest, its runtime and its encoders by policy. */
public final class ServedModel {

    private final ModelManifest manifest;
    private final LoadedModel runtime;
    private final Tokenizer.Tokens tokens;
    private final Map<InstanceEncoder.UnknownCategories, InstanceEncoder> encoders = new ConcurrentHashMap<>();

    ServedModel(ModelManifest manifest, LoadedModel runtime, Tokenizer.Tokens tokens) {
        this.manifest = manifest;
        this.runtime = runtime;
        this.tokens = tokens;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public LoadedModel runtime() {
        return runtime;
    }

    public InstanceEncoder encoder(InstanceEncoder.UnknownCategories policy) {
        return encoders.computeIfAbsent(policy, p -> InstanceEncoder.forModel(manifest, tokens, p));
    }
}
