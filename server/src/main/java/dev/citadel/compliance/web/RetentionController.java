package dev.citadel.compliance.web;

import java.util.Map;

import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.compliance.Retention;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A tenant's retention settings, the dry-run report and a run on demand (tenant admins; auditors read). */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/retention")
@Tag(name = "Retention")
class RetentionController {

    private final Retention retention;

    RetentionController(Retention retention) {
        this.retention = retention;
    }

    record RetentionBody(Integer datasetVersionDays, @Size(max = 100) Map<@Size(max = 64) String, Integer> datasets,
            Integer auditYears) {}

    @GetMapping
    @TenantAction(Action.POLICIES_READ)
    @Operation(operationId = "showRetention", summary = "The tenant's retention settings and its last run")
    Retention.Settings show(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return retention.settings(scope.tenant());
    }

    @PutMapping
    @TenantAction(Action.POLICIES_MANAGE)
    @Operation(operationId = "putRetention", summary = "Set how long dataset versions are kept",
            description = "datasetVersionDays: versions older than this are erased by the scheduled run (null keeps "
                    + "them); datasets: per-dataset days overriding it; auditYears: the audit retention the tenant "
                    + "commits to (audit entries are never deleted, so it is always met).")
    Retention.Settings put(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @RequestBody RetentionBody body) {
        return retention.put(scope.tenant(), new Retention.Settings(body.datasetVersionDays(), body.datasets(),
                body.auditYears(), null, null));
    }

    @GetMapping("/report")
    @TenantAction(Action.POLICIES_READ)
    @Operation(operationId = "retentionReport", summary = "Dry run: the versions the next run would erase")
    Retention.Report report(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return retention.report(scope.tenant());
    }

    @PostMapping("/runs")
    @TenantAction(Action.POLICIES_MANAGE)
    @Operation(operationId = "runRetention", summary = "Erase what is past its retention now",
            description = "The same run the scheduler makes every citadel.compliance.retention-interval (6 h); each "
                    + "erased version is audited as dataset.version.erase, the run as retention.run.")
    Retention.Report run(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return retention.run(scope.tenant());
    }
}
