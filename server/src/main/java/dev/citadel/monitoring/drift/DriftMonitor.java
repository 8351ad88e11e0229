package dev.citadel.monitoring.drift;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.citadel.deployments.ObservedPredictions;
import dev.citadel.deployments.PredictionObserver;
import dev.citadel.monitoring.alerts.Alert;
import dev.citadel.monitoring.alerts.Alerts;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Watches live inputs for drift. On the prediction path it only counts each instance into its
 * deployment's open window (a lookup and, per feature, a binary search or a map lookup under the
 * window's lock); evaluating, storing and alerting happen on a background thread when a window
 * closes — after {@code window-instances} instances, or after {@code window-duration} with at least
 * {@code min-instances}. A drifted window raises one {@code drift} alert when drift starts or spreads
 * to more features, not again for every window while it persists.
 */
@Component
@EnableConfigurationProperties(DriftProperties.class)
class DriftMonitor implements PredictionObserver, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DriftMonitor.class);
    /** A window with no traffic for this long is forgotten (its deployment moved on or went away). */
    private static final Duration IDLE = Duration.ofDays(7);

    record WindowKey(TenantId tenant, String deployment, String model, int version) {}

    /** A deployment version's open window, and what the last evaluated window found (for alerting). */
    static final class DeploymentWindow {
        final WindowKey key;
        final Monitored monitored;
        private LiveWindow open;
        private Instant lastSeen;
        /** Drifted features of the previous closed window; touched only by the evaluating thread. */
        /** When each feature was last named in an alert: a feature alerts again only after the cool-down. */
        private final java.util.Map<String, Instant> alertedAt = new java.util.HashMap<>();

        DeploymentWindow(WindowKey key, Monitored monitored) {
            this.key = key;
            this.monitored = monitored;
        }
    }

    private final DriftReferences references;
    private final DriftRepository repository;
    private final Alerts alerts;
    /** How long a feature that drifted stays announced before it can raise another alert. */
    static final java.time.Duration ALERT_COOL_DOWN = java.time.Duration.ofHours(1);
    private final TenantTransactions transactions;
    private final Clock clock;
    private final DriftProperties properties;
    private final ConcurrentHashMap<WindowKey, DeploymentWindow> windows = new ConcurrentHashMap<>();
    private final Counter unobserved;
    private final Counter dropped;
    private final ThreadPoolExecutor evaluator = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), Thread.ofPlatform().name("citadel-drift-windows").daemon().factory());

    DriftMonitor(DriftReferences references, DriftRepository repository, Alerts alerts, TenantTransactions transactions,
            Clock clock, DriftProperties properties, MeterRegistry meters) {
        this.references = references;
        this.repository = repository;
        this.alerts = alerts;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
        this.unobserved = meters.counter("citadel.drift.instances.unobserved");
        this.dropped = meters.counter("citadel.drift.windows.dropped");
    }

    @Override
    public void observed(ObservedPredictions batch) {
        if (!properties.enabled()) {
            return;
        }
        WindowKey key = new WindowKey(batch.tenant(), batch.deployment(), batch.model(), batch.version());
        DeploymentWindow window = windows.get(key);
        if (window == null) {
            if (!(references.state(batch.tenant(), batch.model(), batch.version())
                    instanceof DriftReferences.Ready ready)) {
                // no reference (yet): nothing to compare with, so nothing is kept
                unobserved.increment(batch.instances().size());
                return;
            }
            window = windows.computeIfAbsent(key, k -> new DeploymentWindow(k, ready.monitored()));
        }
        List<LiveWindow> closed = null;
        Instant now = clock.instant();
        synchronized (window) {
            window.lastSeen = now;
            for (Map<String, Object> instance : batch.instances()) {
                if (window.open == null) {
                    window.open = new LiveWindow(window.monitored, properties.liveSample());
                }
                window.open.add(instance, now);
                if (window.open.instances >= properties.windowInstances()) {
                    closed = closed == null ? new ArrayList<>(1) : closed;
                    closed.add(window.open);
                    window.open = null;
                }
            }
        }
        if (closed != null) {
            for (LiveWindow full : closed) {
                submit(window, full, now);
            }
        }
    }

    /** Closes every window that is old enough and large enough; forgets idle ones. */
    @Scheduled(fixedDelayString = "${citadel.monitoring.drift.sweep-interval:30s}",
            initialDelayString = "${citadel.monitoring.drift.sweep-interval:30s}")
    void closeDue() {
        Instant now = clock.instant();
        for (DeploymentWindow window : windows.values()) {
            LiveWindow due = null;
            synchronized (window) {
                LiveWindow open = window.open;
                if (open != null && open.instances >= properties.minInstances()
                        && !now.isBefore(open.start.plus(properties.windowDuration()))) {
                    due = open;
                    window.open = null;
                }
                if (due == null && window.lastSeen != null && now.isAfter(window.lastSeen.plus(IDLE))) {
                    windows.remove(window.key, window);
                }
            }
            if (due != null) {
                submit(window, due, now);
            }
        }
    }

    private void submit(DeploymentWindow window, LiveWindow closed, Instant end) {
        try {
            evaluator.execute(() -> evaluate(window, closed, end));
        } catch (RejectedExecutionException busy) {
            dropped.increment();
        }
    }

    private void evaluate(DeploymentWindow window, LiveWindow closed, Instant end) {
        WindowKey key = window.key;
        try {
            DriftWindow figures = WindowEvaluation.evaluate(closed, key.model(), key.version(), end,
                    properties.psiThreshold(), properties.ksPValue());
            transactions.inTenant(key.tenant(), () -> repository.insertWindow(key.tenant(), key.deployment(), figures));
            Set<String> drifted = new TreeSet<>();
            figures.features().stream().filter(FeatureFigures::drifted).forEach(f -> drifted.add(f.name()));
            // drift that comes and goes between windows is one alert, not one per window
            boolean news;
            synchronized (window.alertedAt) {
                news = drifted.stream().anyMatch(f -> !window.alertedAt.containsKey(f)
                        || window.alertedAt.get(f).isBefore(end.minus(ALERT_COOL_DOWN)));
                if (news) {
                    drifted.forEach(f -> window.alertedAt.put(f, end));
                }
            }
            if (news) {
                alerts.raise(alert(key, figures));
            }
        } catch (RuntimeException e) {
            dropped.increment();
            log.warn("a drift window of tenant {} could not be evaluated", key.tenant().value(), e);
        }
    }

    /** The alert names the deployment, version and drifted features with their figures; never a value. */
    private Alert alert(WindowKey key, DriftWindow window) {
        TreeMap<String, String> details = new TreeMap<>();
        details.put("deployment", key.deployment());
        details.put("model", key.model());
        details.put("version", Integer.toString(key.version()));
        details.put("windowEnd", window.end().toString());
        details.put("instances", Long.toString(window.instances()));
        Set<String> names = new TreeSet<>();
        for (FeatureFigures feature : window.features()) {
            if (feature.drifted()) {
                names.add(feature.name());
                details.put("psi." + feature.name(), String.format(Locale.ROOT, "%.4f", feature.psi()));
                if (feature.pValue() != null) {
                    details.put("ksPValue." + feature.name(), String.format(Locale.ROOT, "%.3g", feature.pValue()));
                }
            }
        }
        details.put("features", String.join(",", names));
        return new Alert(key.tenant(), "drift", "warning", "Live inputs to deployment " + key.deployment() + " ("
                + key.model() + " v" + key.version() + ") drifted from the training data in " + names.size()
                + " feature(s): " + String.join(", ", names) + ".", details);
    }

    @Override
    public void destroy() {
        evaluator.shutdownNow();
    }
}
