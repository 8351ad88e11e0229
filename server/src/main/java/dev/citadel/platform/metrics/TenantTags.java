package dev.citadel.platform.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.citadel.platform.TenantId;

/**
 * The {@code tenant} tag of Citadel's metrics, with bounded cardinality: the first
 * {@code citadel.monitoring.metrics.max-tenant-tags} tenants seen by this process get their own
 * value, every later one shares {@code other}, so thousands of tenants cannot blow up the metrics
 * backend. Per-tenant figures for every tenant are at {@code GET …/tenants/{tenant}/metrics}.
 */
@Component
public class TenantTags {

    /** The tag value of requests that belong to no tenant (sign-in, platform administration). */
    public static final String NONE = "none";
    /** The tag value of every tenant beyond the cap. */
    public static final String OTHER = "other";

    private final int max;
    private final Set<String> tagged = ConcurrentHashMap.newKeySet();

    TenantTags(@Value("${citadel.monitoring.metrics.max-tenant-tags:100}") int max) {
        this.max = Math.max(0, max);
    }

    public String tag(TenantId tenant) {
        return tenant == null ? NONE : tag(tenant.value());
    }

    public String tag(String tenant) {
        if (tenant == null || tenant.isEmpty()) {
            return NONE;
        }
        if (tagged.contains(tenant)) {
            return tenant;
        }
        synchronized (tagged) {
            if (tagged.size() < max) {
                tagged.add(tenant);
                return tenant;
            }
        }
        return tagged.contains(tenant) ? tenant : OTHER;
    }
}
