package dev.citadel.monitoring.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.monitoring.drift.DriftReports;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A deployment's drift: live inputs against the training data. */
@RestController
@Tag(name = "Monitoring")
class DriftController {

    private final DriftReports reports;

    DriftController(DriftReports reports) {
        this.reports = reports;
    }

    @GetMapping("/api/v1/tenants/{tenant}/deployments/{name}/drift")
    @TenantAction(Action.MONITORING_READ)
    @Operation(summary = "Show a deployment's drift: the reference distribution, the latest window and the history",
            description = "Live inputs are summarised in windows (a number of instances, or a time with a minimum "
                    + "number); each closed window gives per feature the PSI against the training data's binned "
                    + "distribution and, for numbers, the Kolmogorov–Smirnov distance and p-value. A feature drifted "
                    + "when its PSI is over the threshold or its p-value under it. `reference` is null while it is "
                    + "computed (`referenceStatus` pending) or when the model has no training data in Citadel "
                    + "(unavailable, e.g. an imported model; `note` says why). `history` holds up to `limit` windows, "
                    + "newest first. Never contains an input value.")
    DriftReports.DriftReport drift(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @RequestParam(defaultValue = "20") @Min(1) @Max(500) int limit) {
        return reports.report(scope.tenant(), name, limit);
    }
}
