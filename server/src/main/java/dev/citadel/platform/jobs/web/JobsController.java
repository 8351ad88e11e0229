package dev.citadel.platform.jobs.web;

import java.util.UUID;

import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.jobs.JobView;
import dev.citadel.platform.jobs.Jobs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Polling a tenant's long-running jobs. */
@RestController
@Tag(name = "Jobs")
class JobsController {

    private final Jobs jobs;

    JobsController(Jobs jobs) {
        this.jobs = jobs;
    }

    @GetMapping("/api/v1/tenants/{tenant}/jobs/{id}")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Show a job: state, progress (phase and percent), timings, result or error")
    JobView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable UUID id) {
        return jobs.get(scope.tenant(), id);
    }
}
