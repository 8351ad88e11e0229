package dev.citadel.monitoring.anomalies;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/**
 * Watches per-minute rates against each one's own baseline and raises a security event
 * ({@code security.anomaly}) when one spikes: requests by a principal and by a tenant, data reads
 * (content downloads and exports) by a principal — in the tenant's trail — and failed
 * authentications from one source address — in the platform's trail. Counts live in this process
 * only; nothing about a request but who made it, its kind and its time is kept.
 */
@Component
@EnableConfigurationProperties(AnomalyProperties.class)
public class AnomalyDetector {

    /** The signals watched. */
    enum Signal {
        PRINCIPAL_REQUESTS("principal-requests"), TENANT_REQUESTS("tenant-requests"),
        DATA_ACCESS("data-access"), AUTH_FAILURES("auth-failures");

        final String wireName;

        Signal(String wireName) {
            this.wireName = wireName;
        }
    }

    private final AnomalyProperties properties;
    private final Clock clock;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Cache<String, MinuteSeries> series = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(3)).maximumSize(200_000).build();

    AnomalyDetector(AnomalyProperties properties, Clock clock, AuditLog audit, TenantTransactions transactions) {
        this.properties = properties;
        this.clock = clock;
        this.audit = audit;
        this.transactions = transactions;
    }

    /**
     * One finished request: {@code tenant} and {@code principal} as authorised (null when not),
     * whether it read data in bulk, and whether it failed authentication (401) from {@code address}.
     */
    public void request(String tenant, String principal, boolean dataRead, boolean authFailure, String address) {
        if (authFailure && address != null) {
            count(Signal.AUTH_FAILURES, TenantId.PLATFORM, "address", address, properties.authFailureFloor());
        }
        if (tenant == null) {
            return;
        }
        TenantId id = new TenantId(tenant);
        count(Signal.TENANT_REQUESTS, id, "tenant", tenant, properties.requestFloor());
        if (principal != null) {
            count(Signal.PRINCIPAL_REQUESTS, id, "principal", principal, properties.requestFloor());
            if (dataRead) {
                count(Signal.DATA_ACCESS, id, "principal", principal, properties.dataAccessFloor());
            }
        }
    }

    private void count(Signal signal, TenantId trail, String subjectKind, String subject, long floor) {
        long minute = clock.millis() / 60_000;
        MinuteSeries s = series.get(signal.wireName + "|" + trail.value() + "|" + subject, k -> {
            MinuteSeries created = new MinuteSeries(properties.history(), minute);
            created.start(floor, properties.minHistory(), properties.k());
            return created;
        });
        long breached;
        long count = 0;
        long median = 0;
        synchronized (s) {
            breached = s.add(minute, floor, properties.minHistory(), properties.k());
            if (breached >= 0) {
                // the figures for the event only: sorting the history on every request would be hot-path waste
                count = s.count();
                median = s.median();
            }
        }
        if (breached >= 0) {
            raise(signal, trail, subjectKind, subject, count, breached, median);
        }
    }

    private void raise(Signal signal, TenantId trail, String subjectKind, String subject, long count, long threshold,
            long median) {
        Map<String, String> details = new TreeMap<>();
        details.put("signal", signal.wireName);
        details.put(subjectKind, subject);
        details.put("perMinute", String.valueOf(count));
        details.put("threshold", String.valueOf(threshold));
        details.put("baselineMedian", String.valueOf(median));
        transactions.inNewTenantTransaction(trail, () -> audit.append(new AuditEvent(trail, "system", "security.anomaly",
                subjectKind, subject, AuditOutcome.FAILURE, new TreeMap<>(details))));
    }
}
