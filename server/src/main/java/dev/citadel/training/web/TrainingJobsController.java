package dev.citadel.training.web;

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

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.training.TrainingJobs;
import dev.citadel.training.TrainingRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Training jobs: submit, poll, list, cancel. */
@RestController
@Tag(name = "Training")
class TrainingJobsController {

    private static final String BASE = "/api/v1/tenants/{tenant}/training-jobs";

    private final TrainingJobs training;

    TrainingJobsController(TrainingJobs training) {
        this.training = training;
    }

    @PostMapping(BASE)
    @TenantAction(Action.TRAINING_START)
    @Operation(summary = "Train a model on a dataset version",
            description = "Checks the request against the dataset version's schema and queues a job. Algorithms: "
                    + "logistic-regression and gradient-boosted-trees (classification), linear-regression and "
                    + "gradient-boosted-trees (regression). A version holding identifiers kept unprotected needs "
                    + "\"allowSensitive\": true from a data steward.")
    @ApiResponse(responseCode = "202", description = "The queued job; poll it at its Location")
    ResponseEntity<TrainingJobs.TrainingJobView> submit(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @Valid @RequestBody TrainingRequest request) {
        TrainingJobs.TrainingJobView job = training.submit(scope.tenant(), request, scope.permits(Action.PRIVACY_KEEP));
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/tenants/" + scope.tenant().value() + "/training-jobs/" + job.id()))
                .body(job);
    }

    @GetMapping(BASE)
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "List recent training jobs, newest first")
    List<TrainingJobs.TrainingJobView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return training.list(scope.tenant(), limit);
    }

    @GetMapping(BASE + "/{id}")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Show a training job: state, progress (phase, percent), timings, metrics, model version")
    TrainingJobs.TrainingJobView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable UUID id) {
        return training.get(scope.tenant(), id);
    }

    @PostMapping(BASE + "/{id}/cancellation")
    @TenantAction(Action.TRAINING_CANCEL)
    @Operation(summary = "Cancel a training job",
            description = "A queued job is cancelled at once; a running one stops at its next phase boundary.")
    TrainingJobs.TrainingJobView cancel(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable UUID id) {
        return training.cancel(scope.tenant(), id);
    }
}
