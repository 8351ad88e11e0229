package dev.citadel.monitoring.web;


import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.monitoring.TenantMetrics;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A tenant's own operational figures. */
@RestController
@Tag(name = "Monitoring")
class MetricsController {

    private final TenantMetrics metrics;

    MetricsController(TenantMetrics metrics) {
        this.metrics = metrics;
    }

    @GetMapping("/api/v1/tenants/{tenant}/metrics")
    @TenantAction(Action.MONITORING_READ)
    @Operation(summary = "The tenant's request figures (this server since it started) and its jobs",
            description = "Per endpoint group: requests, client and server errors, and p50/p95/p99 latency in ms "
                    + "(the upper bound of the histogram bucket the percentile falls in). Jobs: how many of the tenant's "
                    + "jobs are in each state, by kind.")
    TenantMetrics.Figures metrics(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return metrics.figures(scope.tenant());
    }

}
