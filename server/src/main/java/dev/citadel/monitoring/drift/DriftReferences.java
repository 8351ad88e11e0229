package dev.citadel.monitoring.drift;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.datasets.Datasets;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.registry.Models;
import dev.citadel.registry.Stage;
import dev.citadel.registry.VersionStageChanged;

/**
 * Each deployed model version's reference distribution: read from the database, or computed once
 * from the training dataset version its signed lineage names (when it is promoted to production,
 * or first needed) on a background thread, stored, and audited as a read of that dataset. Never
 * computed on a request thread: until it is ready, callers are told it is pending.
 */
@Component
class DriftReferences implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DriftReferences.class);
    private static final Duration RETRY = Duration.ofMinutes(5);

    /** What is known of a version's reference. */
    sealed interface State permits Ready, Unavailable, Pending {}

    record Ready(Monitored monitored, Instant computedAt) implements State {}

    /** No reference: {@code reason} says why; {@code retryAt} is when to try again (null: never). */
    record Unavailable(String reason, Instant retryAt) implements State {}

    record Pending() implements State {}

    record Key(TenantId tenant, String model, int version) {}

    private static final Pending PENDING = new Pending();

    private final DriftRepository repository;
    private final Models models;
    private final Datasets datasets;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final DriftProperties properties;
    private final Cache<Key, State> states = Caffeine.newBuilder().maximumSize(20_000).build();
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), Thread.ofPlatform().name("citadel-drift-reference").daemon().factory());

    DriftReferences(DriftRepository repository, Models models, Datasets datasets, AuditLog audit,
            TenantTransactions transactions, Clock clock, DriftProperties properties) {
        this.repository = repository;
        this.models = models;
        this.datasets = datasets;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /** The version's reference state; if unknown, starts preparing it in the background and answers pending. */
    State state(TenantId tenant, String model, int version) {
        Key key = new Key(tenant, model, version);
        State state = states.getIfPresent(key);
        if (state instanceof Unavailable unavailable && unavailable.retryAt() != null
                && !clock.instant().isBefore(unavailable.retryAt())) {
            states.asMap().remove(key, state);
            state = null;
        }
        if (state != null) {
            return state;
        }
        if (states.asMap().putIfAbsent(key, PENDING) == null) {
            try {
                worker.execute(() -> prepare(key));
            } catch (RejectedExecutionException busy) {
                states.asMap().remove(key, PENDING);
            }
        }
        return PENDING;
    }

    /** Deploying promotes a version to production: prepare its reference before the first prediction. */
    @EventListener
    void on(VersionStageChanged changed) {
        if (changed.stage() == Stage.PRODUCTION && properties.enabled()) {
            state(changed.tenant(), changed.model(), changed.version());
        }
    }

    private void prepare(Key key) {
        State state;
        try {
            state = load(key).orElseGet(() -> compute(key));
        } catch (RuntimeException e) {
            log.warn("the drift reference of a model version of tenant {} could not be prepared; retrying later",
                    key.tenant().value(), e);
            state = new Unavailable("The reference distribution could not be computed yet; it is retried.",
                    clock.instant().plus(RETRY));
        }
        states.put(key, state);
    }

    private Optional<State> load(Key key) {
        return transactions.inTenant(key.tenant(), () -> repository.reference(key.tenant(), key.model(), key.version()))
                .map(stored -> stored.reference() == null ? new Unavailable(stored.unavailable(), null)
                        : new Ready(new Monitored(stored.reference()), stored.computedAt()));
    }

    private State compute(Key key) {
        Models.VersionView version = models.describe(key.tenant(), key.model(), key.version());
        Map<?, ?> lineage = version.lineage() != null && version.lineage().get("dataset") instanceof Map<?, ?> map ? map : null;
        if (lineage == null || !(lineage.get("name") instanceof String dataset)
                || !(lineage.get("version") instanceof Number datasetVersion)) {
            return unavailable(key, "The model version was imported without training data, so there is no reference "
                    + "distribution to compare live inputs with.");
        }
        Datasets.VersionView stored;
        try {
            stored = datasets.version(key.tenant(), dataset, datasetVersion.intValue());
        } catch (CitadelException gone) {
            return unavailable(key, "The training dataset version no longer exists (" + gone.code().code() + ").");
        }
        if (!stored.sha256().equals(String.valueOf(lineage.get("sha256")))) {
            return unavailable(key, "The training dataset version's digest differs from the one in the model's lineage.");
        }
        ReferenceBuilder builder = new ReferenceBuilder(version.inputSchema() == null ? List.of()
                : version.inputSchema().features(), properties.bins(), properties.topCategories(),
                properties.referenceSample());
        if (!builder.monitorsAnything()) {
            return unavailable(key, "Every feature of the model is sensitive or of a type drift does not measure.");
        }
        List<FeatureReference> features;
        try (InputStream content = datasets.content(key.tenant(), dataset, datasetVersion.intValue())) {
            features = builder.read(content);
        } catch (CitadelException unreadable) {
            return unavailable(key, "The training dataset version cannot be read (" + unreadable.code().code() + ").");
        } catch (ReferenceBuilder.MissingColumn missing) {
            return unavailable(key, "The training dataset version has no column for a feature of the model.");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Reference reference = new Reference(dataset, datasetVersion.intValue(), stored.sha256(), builder.rows(), features,
                builder.skipped());
        Instant now = clock.instant();
        transactions.inTenant(key.tenant(), () -> {
            if (repository.insertReference(key.tenant(), key.model(), key.version(), reference, null, now)) {
                Map<String, String> details = new TreeMap<>();
                details.put("model", key.model());
                details.put("version", Integer.toString(key.version()));
                details.put("dataset", dataset);
                details.put("datasetVersion", Integer.toString(datasetVersion.intValue()));
                details.put("rows", Long.toString(builder.rows()));
                details.put("features", Integer.toString(features.size()));
                details.put("skipped", Integer.toString(builder.skipped().size()));
                audit.append(new AuditEvent(key.tenant(), "system", "monitoring.drift.reference", "model",
                        key.model() + "/v" + key.version(), AuditOutcome.SUCCESS, new TreeMap<>(details)));
            }
        });
        return load(key).orElseThrow();
    }

    private State unavailable(Key key, String reason) {
        transactions.inTenant(key.tenant(), () -> repository.insertReference(key.tenant(), key.model(), key.version(), null,
                reason, clock.instant()));
        return load(key).orElseThrow();
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}
