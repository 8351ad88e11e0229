package dev.citadel.deployments.extraction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.deployments.runtime.Prediction;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.registry.InputSchema;

/**
 * Watches each principal's queries to each deployment over a sliding window of its last
 * {@value #WINDOW} instances and raises a security event ({@code security.extraction_suspected},
 * with the signal and its numbers, at most once an hour per principal, deployment and signal) when:
 * <ul>
 *   <li><b>feature-sweep</b> — most consecutive instances differ from the previous one in exactly
 *       one feature (probing the model one input at a time);
 *   <li><b>out-of-distribution</b> — many instances have a number more than {@value #SIGMAS} training
 *       standard deviations from the training mean (synthetic rows);
 *   <li><b>decision-boundary</b> — many answers have a top score within {@value #BOUNDARY} of an even
 *       split (queries placed on the boundary to trace it);
 *   <li><b>volume</b> — the principal sent far more instances this hour than its own average hour.
 * </ul>
 * With action {@code throttle} the principal is then held to one request in ten for an hour; with
 * {@code block} it is refused for an hour. Evidence never contains input values.
 */
@Component
public class ExtractionMonitor {

    static final int WINDOW = 200;
    static final int MIN_EVIDENCE = 50;
    static final double SIGMAS = 4.0;
    static final double BOUNDARY = 0.05;
    static final long VOLUME_FLOOR = 5_000;
    static final double VOLUME_FACTOR = 10.0;
    private static final Duration PENALTY = Duration.ofHours(1);

    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final Cache<String, Window> windows = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(6))
            .maximumSize(200_000).build();
    private final Cache<String, Boolean> reported = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
            .maximumSize(200_000).build();
    private final Cache<String, Penalty> penalties = Caffeine.newBuilder().expireAfterWrite(PENALTY)
            .maximumSize(200_000).build();

    ExtractionMonitor(AuditLog audit, TenantTransactions transactions, Clock clock) {
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What a deployment does when it detects extraction behaviour. */
    public enum Action { ALERT, THROTTLE, BLOCK }

    private record Penalty(Action action, long[] requests) {}

    /** Refuses a principal that a deployment throttles or blocks; call before the request is served. */
    public void check(TenantId tenant, String deploymentId, String principal) {
        Penalty penalty = penalties.getIfPresent(key(tenant, deploymentId, principal));
        if (penalty == null) {
            return;
        }
        if (penalty.action() == Action.BLOCK) {
            throw new CitadelException(ErrorCode.ACCESS_DENIED, "This principal's queries to this deployment look like "
                    + "model extraction; it is blocked for an hour. The tenant's administrators have the details.");
        }
        synchronized (penalty) {
            if (penalty.requests()[0]++ % 10 != 0) {
                throw new CitadelException(ErrorCode.RATE_LIMITED, "This principal's queries to this deployment look "
                        + "like model extraction; it is throttled for an hour.", List.of(), Duration.ofSeconds(10));
            }
        }
    }

    /** Records answered instances and raises what the window shows. */
    public void observe(TenantId tenant, String deploymentId, String principal, InputSchema schema,
            List<Map<String, Object>> instances, List<Prediction> predictions, Action action) {
        String key = key(tenant, deploymentId, principal);
        Window window = windows.get(key, k -> new Window());
        List<Signal> signals;
        synchronized (window) {
            for (int i = 0; i < instances.size(); i++) {
                window.add(instances.get(i), predictions.get(i), schema);
            }
            Instant now = clock.instant();
            window.count(instances.size(), now);
            signals = window.signals(now);
        }
        for (Signal signal : signals) {
            if (reported.asMap().putIfAbsent(key + "|" + signal.name(), true) != null) {
                continue;
            }
            TreeMap<String, String> evidence = new TreeMap<>(signal.evidence());
            evidence.put("signal", signal.name());
            evidence.put("principal", principal);
            evidence.put("action", action.name().toLowerCase(java.util.Locale.ROOT));
            transactions.inNewTenantTransaction(tenant, () -> audit.append(new AuditEvent(tenant, "system",
                    "security.extraction_suspected", "deployment", deploymentId, AuditOutcome.FAILURE, evidence)));
            if (action != Action.ALERT) {
                penalties.put(key, new Penalty(action, new long[1]));
            }
        }
    }

    private static String key(TenantId tenant, String deploymentId, String principal) {
        return tenant.value() + "|" + deploymentId + "|" + principal;
    }

    record Signal(String name, Map<String, String> evidence) {}

    /** The last instances of one principal on one deployment, reduced to the facts the signals need. */
    static final class Window {
        private final Flags oneFeatureChange = new Flags();
        private final Flags outOfDistribution = new Flags();
        private final Flags onBoundary = new Flags();
        /** When each signal was last raised from this window: it is not evaluated again for an hour. */
        private final Map<String, Instant> raised = new java.util.HashMap<>(4);
        private Map<String, Object> previous;
        private long hour = -1;
        private long thisHour;
        private long pastHours;
        private long pastTotal;

        void add(Map<String, Object> instance, Prediction prediction, InputSchema schema) {
            if (previous != null) {
                int changed = 0;
                for (Map.Entry<String, Object> entry : instance.entrySet()) {
                    if (!Objects.equals(entry.getValue(), previous.get(entry.getKey()))) {
                        changed++;
                    }
                }
                oneFeatureChange.push(changed == 1);
            }
            previous = instance;
            boolean far = false;
            for (InputSchema.Feature feature : schema.features()) {
                if (feature.mean() != null && feature.std() != null && feature.std() > 0
                        && instance.get(feature.name()) instanceof Number number
                        && Math.abs(number.doubleValue() - feature.mean()) > SIGMAS * feature.std()) {
                    far = true;
                    break;
                }
            }
            outOfDistribution.push(far);
            if (prediction.scores() != null && prediction.scores().size() >= 2) {
                double top = prediction.scores().values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
                onBoundary.push(top - 1.0 / prediction.scores().size() < BOUNDARY);
            }
        }

        void count(int instances, Instant now) {
            long current = now.getEpochSecond() / 3600;
            if (current != hour) {
                if (hour >= 0) {
                    pastHours += Math.max(1, current - hour);
                    pastTotal += thisHour;
                }
                hour = current;
                thisHour = 0;
            }
            thisHour += instances;
        }

        /** The signals the window shows now, leaving out those it raised within the last hour. */
        List<Signal> signals(Instant now) {
            List<Signal> found = new java.util.ArrayList<>(0);
            share("feature-sweep", oneFeatureChange, 0.6, now, found);
            share("out-of-distribution", outOfDistribution, 0.3, now, found);
            share("decision-boundary", onBoundary, 0.3, now, found);
            double baseline = pastHours == 0 ? 0 : pastTotal / (double) pastHours;
            if (thisHour > Math.max(VOLUME_FLOOR, VOLUME_FACTOR * baseline) && due("volume", now)) {
                found.add(new Signal("volume", Map.of("instancesThisHour", Long.toString(thisHour),
                        "baselinePerHour", String.format(java.util.Locale.ROOT, "%.1f", baseline))));
            }
            return found;
        }

        private boolean due(String signal, Instant now) {
            Instant last = raised.get(signal);
            if (last != null && last.plus(PENALTY).isAfter(now)) {
                return false;
            }
            raised.put(signal, now);
            return true;
        }

        private void share(String name, Flags flags, double threshold, Instant now, List<Signal> found) {
            if (flags.size() < MIN_EVIDENCE) {
                return;
            }
            double share = flags.hits() / (double) flags.size();
            if (share >= threshold && due(name, now)) {
                found.add(new Signal(name, Map.of("window", Integer.toString(flags.size()), "matching",
                        Long.toString(flags.hits()), "share", String.format(java.util.Locale.ROOT, "%.2f", share))));
            }
        }
    }

    /** The last {@value #WINDOW} yes/no facts of one kind, with a running count of the yeses. */
    static final class Flags {
        private final boolean[] ring = new boolean[WINDOW];
        private int next;
        private int size;
        private int hits;

        void push(boolean value) {
            if (size == WINDOW) {
                hits -= ring[next] ? 1 : 0;
            } else {
                size++;
            }
            ring[next] = value;
            hits += value ? 1 : 0;
            next = (next + 1) % WINDOW;
        }

        int size() {
            return size;
        }

        int hits() {
            return hits;
        }
    }
}
