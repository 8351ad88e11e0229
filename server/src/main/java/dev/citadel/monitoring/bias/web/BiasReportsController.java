package dev.citadel.monitoring.bias.web;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.monitoring.bias.BiasReportRequest;
import dev.citadel.monitoring.bias.BiasReportView;
import dev.citadel.monitoring.bias.BiasReports;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Bias reports of a model version: request one, poll it, list them. */
@RestController
@Tag(name = "Monitoring")
class BiasReportsController {

    private static final String VERSION = "/api/v1/tenants/{tenant}/models/{name}/versions/{version}";

    private final BiasReports reports;

    BiasReportsController(BiasReports reports) {
        this.reports = reports;
    }

    @PostMapping(VERSION + "/bias-report")
    @TenantAction(Action.MONITORING_BIAS_REQUEST)
    @Operation(summary = "Evaluate a classifier for bias across the groups of one attribute",
            description = "Checks the request and queues a job that scores the rows the training job held out (or every "
                    + "row of the dataset version given) and reports, per group of the attribute, the selection rate, "
                    + "accuracy and true-positive rate, with the demographic parity difference, the disparate impact "
                    + "ratio and the equal-opportunity difference. Groups below the minimum size show their count only. "
                    + "A report over a threshold raises a bias alert.")
    @ApiResponse(responseCode = "202", description = "The queued report; poll it at its Location")
    ResponseEntity<BiasReportView> requestBiasReport(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version,
            @Valid @RequestBody BiasReportRequest request) {
        BiasReportView report = reports.submit(scope.tenant(), name, version, request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/tenants/" + scope.tenant().value() + "/models/"
                + name + "/versions/" + version + "/bias-reports/" + report.id())).body(report);
    }

    @GetMapping(VERSION + "/bias-reports")
    @TenantAction(Action.MONITORING_READ)
    @Operation(summary = "List a model version's bias reports, newest first")
    List<BiasReportView> listBiasReports(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return reports.list(scope.tenant(), name, version, limit);
    }

    @GetMapping(VERSION + "/bias-reports/{id}")
    @TenantAction(Action.MONITORING_READ)
    @Operation(summary = "Show a bias report: its progress, then its per-group figures and comparisons")
    BiasReportView showBiasReport(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version,
            @PathVariable UUID id) {
        return reports.get(scope.tenant(), name, version, id);
    }
}
