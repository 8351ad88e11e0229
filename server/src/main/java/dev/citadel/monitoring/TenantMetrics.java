package dev.citadel.monitoring;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

import org.springframework.stereotype.Service;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.jobs.Jobs;

/** A tenant's own figures: its requests as this server saw them since it started, and its jobs. */
@Service
public class TenantMetrics {

    private final RequestFigures requests;
    private final Jobs jobs;

    TenantMetrics(RequestFigures requests, Jobs jobs) {
        this.requests = requests;
        this.jobs = jobs;
    }

    /** Request figures by tenant; implemented by the request metrics filter. */
    public interface RequestFigures {
        Instant since();

        List<Group> groups(TenantId tenant);
    }

    /** One endpoint group's figures; latencies in ms, as the upper bound of the percentile's histogram bucket. */
    public record Group(String group, long count, long clientErrors, long serverErrors, Long p50Ms, Long p95Ms,
            Long p99Ms) {}

    /** What {@code GET …/tenants/{tenant}/metrics} answers. */
    public record Figures(String tenant, Instant since, List<Group> requests,
            SortedMap<String, SortedMap<String, Long>> jobs) {}

    public Figures figures(TenantId tenant) {
        return new Figures(tenant.value(), requests.since(), requests.groups(tenant), jobs.counts(tenant));
    }
}
