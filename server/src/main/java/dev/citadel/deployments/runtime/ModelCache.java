package dev.citadel.deployments.runtime;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.privacy.Tokenizer;
import dev.citadel.registry.ModelManifest;
import dev.citadel.registry.Models;

/**
 * Loaded models, bounded by memory and evicted least recently used, so one server can hold many
 * tenants' deployments. A model enters the cache only through {@link Models#load}, which verifies
 * its signature and digest: every load is verified, and a tampered artifact never gets in.
 */
@Component
public class ModelCache implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    private final Models models;
    private final Tokenizer tokenizer;
    private final int threads;
    private final Cache<Key, ServedModel> cache;

    /** A model version of a tenant. */
    public record Key(TenantId tenant, String model, int version) {}

    ModelCache(Models models, Tokenizer tokenizer,
            @Value("${citadel.serving.model-cache-size:512MB}") org.springframework.util.unit.DataSize size,
            @Value("${citadel.serving.inference-threads:1}") int threads) {
        this.models = models;
        this.tokenizer = tokenizer;
        this.threads = Math.max(1, threads);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(size.toBytes())
                .weigher((Key key, ServedModel served) -> (int) Math.min(Integer.MAX_VALUE, served.runtime().weightBytes()))
                .removalListener((Key key, ServedModel served, RemovalCause cause) -> {
                    if (served != null) {
                        served.evict();
                    }
                })
                .build();
    }

    /** The model, loaded and verified on a miss (concurrent misses for one key load once). */
    public ServedModel get(Key key) {
        return cache.get(key, this::load);
    }

    /** A model in use: the model and a lease that keeps its runtime open until closed. */
    public record InUse(ServedModel model, ServedModel.Lease lease) implements AutoCloseable {
        @Override
        public void close() {
            lease.close();
        }
    }

    /** The model with a lease on it; a model evicted between lookup and lease is looked up again. */
    public InUse acquire(Key key) {
        while (true) {
            ServedModel served = get(key);
            ServedModel.Lease lease = served.tryLease();
            if (lease != null) {
                return new InUse(served, lease);
            }
            cache.asMap().remove(key, served);
        }
    }

    /** Forgets a model version (archived, or its deployment changed), so the next use reloads and re-checks it. */
    public void invalidate(Key key) {
        cache.invalidate(key);
    }

    /** Forgets every cached version of a tenant's model, e.g. when one of its versions leaves a deployable stage. */
    @org.springframework.context.event.EventListener
    void on(dev.citadel.registry.VersionStageChanged changed) {
        invalidate(new Key(changed.tenant(), changed.model(), changed.version()));
    }

    public long size() {
        return cache.estimatedSize();
    }

    private ServedModel load(Key key) {
        Models.VerifiedModel verified = models.load(key.tenant(), key.model(), key.version());
        if (!verified.stage().deployable()) {
            throw new CitadelException(ErrorCode.MODEL_STAGE_CONFLICT, "Model " + key.model() + " version "
                    + key.version() + " is " + verified.stage().wireName() + "; only approved or production versions "
                    + "are served.");
        }
        ModelManifest manifest = verified.manifest();
        List<String> labels = manifest.inputSchema() == null || manifest.inputSchema().target() == null ? null
                : manifest.inputSchema().target().labels();
        LoadedModel runtime;
        try {
            runtime = ModelManifest.ONNX.equals(manifest.format()) ? new OnnxModel(verified.artifact(), labels, threads)
                    : new TribuoModel(verified.artifact(), labels);
        } catch (Exception e) {
            log.warn("model {}/{} v{} verified but could not be loaded: {}", key.tenant().value(), key.model(),
                    key.version(), e.toString());
            throw new CitadelException(ErrorCode.MODEL_INTEGRITY_FAILED,
                    "The model verified but its runtime could not load it.");
        }
        log.info("loaded model {} v{} ({}, signature and digest verified) into the serving cache", key.model(),
                key.version(), manifest.format());
        return new ServedModel(manifest, runtime, tokenizer.forTenant(key.tenant()));
    }

    @Override
    public void destroy() {
        cache.invalidateAll();
        cache.cleanUp();
    }
}
