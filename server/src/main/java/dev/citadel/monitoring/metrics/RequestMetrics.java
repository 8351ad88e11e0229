package dev.citadel.monitoring.metrics;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

import dev.citadel.monitoring.TenantMetrics;
import dev.citadel.monitoring.anomalies.AnomalyDetector;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.metrics.TenantTags;
import dev.citadel.platform.web.RequestIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times every request, security included, and records it under its endpoint group and outcome:
 * {@code citadel.requests} (a timer with a latency histogram, no tenant tag) and
 * {@code citadel.tenant.requests} (a counter with the bounded tenant tag) for Prometheus, and the
 * tenant's own figures for {@code GET …/tenants/{tenant}/metrics}. The tenant is the one the
 * request was authorised in, so a request refused before authorisation counts under {@code none}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestMetrics extends OncePerRequestFilter implements TenantMetrics.RequestFigures {

    private static final Duration[] SLOS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(10)};

    private final MeterRegistry meters;
    private final TenantTags tags;
    private final TenantRequestStats stats;
    /** Meters by tag values, so a request costs a map lookup, not a registry lookup with new tag objects. */
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    private final AnomalyDetector anomalies;

    RequestMetrics(MeterRegistry meters, TenantTags tags, Clock clock, AnomalyDetector anomalies) {
        this.anomalies = anomalies;
        this.meters = meters;
        this.tags = tags;
        this.stats = new TenantRequestStats(clock.instant());
    }

    @Override
    public java.time.Instant since() {
        return stats.since();
    }

    @Override
    public java.util.List<TenantMetrics.Group> groups(TenantId tenant) {
        return stats.groups(tenant.value());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            long nanos = System.nanoTime() - start;
            int status = response.getStatus();
            String group = group(request);
            String outcome = status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success";
            timers.computeIfAbsent(group + '|' + outcome, k -> Timer.builder("citadel.requests")
                    .description("Requests by endpoint group and outcome").tags("group", group, "outcome", outcome)
                    .serviceLevelObjectives(SLOS).register(meters))
                    .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            String tenant = MDC.get(RequestIds.MDC_TENANT);
            String tenantTag = tags.tag(tenant);
            counters.computeIfAbsent(tenantTag + '|' + group + '|' + outcome, k -> Counter.builder("citadel.tenant.requests")
                    .description("Requests by tenant (bounded), endpoint group and outcome")
                    .tags("tenant", tenantTag, "group", group, "outcome", outcome).register(meters)).increment();
            if (tenant != null) {
                stats.record(tenant, group, status, nanos);
            }
            anomalies.request(tenant, MDC.get(RequestIds.MDC_PRINCIPAL), dataRead(request), status == 401,
                    request.getRemoteAddr());
        }
    }

    /** A bulk read of a tenant's data: a dataset's content, a model's artifact, an export, a batch result. */
    static boolean dataRead(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        return "GET".equals(request.getMethod()) && pattern instanceof String path && (path.endsWith("/content")
                || path.endsWith("/artifact") || path.endsWith("/export") || path.endsWith("/result"));
    }

    /**
     * The endpoint group: for {@code /api/v1/tenants/{tenant}/<feature>/…} the feature
     * ({@code predictions} for scoring), for other API paths their second segment, else
     * {@code other}; never a path value, so the tag stays bounded.
     */
    static String group(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (!(pattern instanceof String path) || !path.startsWith("/api/v1/")) {
            return request.getRequestURI().startsWith("/actuator") ? "actuator" : "other";
        }
        if (path.endsWith("/predictions") || path.endsWith("/batch-predictions")) {
            return "predictions";
        }
        String[] parts = path.split("/");
        if (parts.length > 5 && parts[3].equals("tenants")) {
            return parts[5];
        }
        if (parts.length > 3 && parts[3].equals("tenants")) {
            return "tenants";
        }
        return parts.length > 3 ? parts[3] : "other";
    }
}
