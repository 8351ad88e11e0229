package dev.citadel.deployments.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.citadel.privacy.Tokenizer;
import dev.citadel.registry.ModelManifest;

/**
 * A verified model in the cache: its manifest, its runtime and its encoders by policy. Requests
 * hold a lease while they use the runtime; an evicted model closes its runtime when the last lease
 * ends, never under a running inference.
 */
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

    private int leases;
    private boolean evicted;
    private boolean closed;

    /** Marks the model in use until the returned lease is closed; null if it was already closed. */
    synchronized Lease tryLease() {
        if (closed) {
            return null;
        }
        leases++;
        return this::release;
    }

    /** A model in use; closing it ends the use. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    private synchronized void release() {
        if (--leases == 0 && evicted) {
            closeRuntime();
        }
    }

    /** Called by the cache on eviction: closes now if unused, else when the last lease ends. */
    synchronized void evict() {
        evicted = true;
        if (leases == 0) {
            closeRuntime();
        }
    }

    private void closeRuntime() {
        if (!closed) {
            closed = true;
            runtime.close();
        }
    }

    public InstanceEncoder encoder(InstanceEncoder.UnknownCategories policy) {
        return encoders.computeIfAbsent(policy, p -> InstanceEncoder.forModel(manifest, tokens, p));
    }
}
