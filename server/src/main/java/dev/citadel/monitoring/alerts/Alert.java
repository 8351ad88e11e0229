package dev.citadel.monitoring.alerts;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.citadel.platform.TenantId;

/**
 * Something a tenant's (or the platform's) operators should look at: a security event, drift over
 * threshold, a bias report outside bounds, an anomaly.
 *
 * @param tenant   whose alert it is ({@link TenantId#PLATFORM} for the platform's own)
 * @param type     {@code security}, {@code drift}, {@code bias} or {@code anomaly}
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param summary  one line for a human, no input values or PII
 * @param details  identifiers and figures (short strings), no input values or PII
 */
public record Alert(TenantId tenant, String type, String severity, String summary, SortedMap<String, String> details) {

    public Alert {
        Objects.requireNonNull(tenant, "tenant");
        if (!java.util.Set.of("security", "drift", "bias", "anomaly").contains(type)) {
            throw new IllegalArgumentException("unknown alert type");
        }
        if (!java.util.Set.of("info", "warning", "critical").contains(severity)) {
            throw new IllegalArgumentException("unknown alert severity");
        }
        Objects.requireNonNull(summary, "summary");
        details = new TreeMap<>(details == null ? Map.of() : details);
    }
}
