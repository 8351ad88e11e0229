package dev.citadel.deployments.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.deployments.BatchPredictions;
import dev.citadel.deployments.Deployments;
import dev.citadel.deployments.Predictions;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Deployments and online predictions. */
@RestController
@Tag(name = "Serving")
class DeploymentsController {

    private static final String BASE = "/api/v1/tenants/{tenant}/deployments";

    private final Deployments deployments;
    private final Predictions predictions;
    private final BatchPredictions batches;

    DeploymentsController(Deployments deployments, Predictions predictions, BatchPredictions batches) {
        this.deployments = deployments;
        this.predictions = predictions;
        this.batches = batches;
    }

    record DeploymentBody(@Size(max = 64) String model, @Min(1) @Max(1_000_000) Integer version,
            @Size(max = 16) String output, Integer precision, Integer topK, @Size(max = 16) String unknownCategories,
            Integer maxBatch, Integer dailyBudget, @Size(max = 16) String extraction, @Size(max = 64) String region,
            @Size(max = 8) List<@Size(max = 64) String> exceptions) {}

    record PredictionBody(@NotNull @Size(max = 1000) List<@Size(max = 10_000) Map<@Size(max = 256) String, Object>> instances) {}

    @PutMapping(BASE + "/{name}")
    @TenantAction(Action.DEPLOYMENTS_MANAGE)
    @Operation(summary = "Create or change a deployment",
            description = "Serves an approved (or production) model version whose signature and digest verify; deploying "
                    + "promotes it to production. output: label | scores | rounded-scores (precision digits), optional "
                    + "topK; unknownCategories: reject | ignore; maxBatch instances per request; dailyBudget instances per "
                    + "principal per day; extraction: alert | throttle | block when a principal's queries look like model "
                    + "extraction (default alert); region: where it serves (default the tenant's region; the built-in "
                    + "residency policy keeps a model in the region of its training data); exceptions: policy "
                    + "exceptions granted to this deployment, e.g. raw-scores (docs/policies.md). A policy that does "
                    + "not hold answers 403 policy.denied naming it.")
    Deployments.DeploymentView put(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @Valid @RequestBody DeploymentBody body) {
        return deployments.put(scope.tenant(), name, new Deployments.DeploymentRequest(body.model(), body.version(),
                body.output(), body.precision(), body.topK(), body.unknownCategories(), body.maxBatch(),
                body.dailyBudget(), body.extraction(), body.region(), body.exceptions()));
    }

    @GetMapping(BASE)
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "List the tenant's deployments")
    List<Deployments.DeploymentView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return deployments.list(scope.tenant());
    }

    @GetMapping(BASE + "/{name}")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Show a deployment")
    Deployments.DeploymentView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return deployments.get(scope.tenant(), name);
    }

    @DeleteMapping(BASE + "/{name}")
    @TenantAction(Action.DEPLOYMENTS_MANAGE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a deployment")
    void delete(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name) {
        deployments.delete(scope.tenant(), name);
    }

    @PostMapping(path = BASE + "/{name}/batch-predictions", consumes = "text/csv")
    @TenantAction(Action.PREDICT)
    @Operation(summary = "Score a CSV in the background",
            description = "The body is a CSV with a header naming (at least) the model's features. It is stored encrypted "
                    + "and scored by the deployment's current version as a job; poll the job and download its result.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "text/csv",
                    schema = @Schema(type = "string", format = "binary", maxLength = Integer.MAX_VALUE))))
    @ApiResponse(responseCode = "202", description = "The queued batch job")
    ResponseEntity<BatchPredictions.BatchView> batch(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, HttpServletRequest request) throws IOException {
        BatchPredictions.BatchView job = batches.submit(scope.tenant(), name, request.getInputStream());
        return ResponseEntity.accepted().location(URI.create("/api/v1/tenants/" + scope.tenant().value()
                + "/deployments/" + name + "/batch-predictions/" + job.id())).body(job);
    }

    @GetMapping(BASE + "/{name}/batch-predictions/{id}")
    @TenantAction(Action.PREDICT)
    @Operation(summary = "Show a batch job: state, progress, rows scored and rows refused")
    BatchPredictions.BatchView batchJob(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable UUID id) {
        return batches.get(scope.tenant(), name, id);
    }

    @GetMapping(path = BASE + "/{name}/batch-predictions/{id}/result", produces = "text/csv")
    @TenantAction(Action.PREDICT)
    @Operation(summary = "Download a finished batch job's result (CSV: line, prediction, scores, error)")
    void batchResult(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable UUID id, HttpServletResponse response)
            throws IOException {
        InputStream result = batches.openResult(scope.tenant(), name, id);
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-" + id + ".csv\"");
        BatchPredictions.writeResult(result, response.getOutputStream());
    }

    /**
     * Documents the endpoint and answers the requests {@link PredictionsFastPath} passes on (another
     * content type, a negotiated {@code Accept}); the filter answers the rest with the same steps.
     */
    @PostMapping(BASE + "/{name}/predictions")
    @TenantAction(Action.PREDICT)
    @Operation(summary = "Score instances",
            description = "{\"instances\": [{\"feature\": value, ...}]} → {\"predictions\": [...]} in the deployment's "
                    + "output mode, naming the model version that answered. Each instance must give every feature "
                    + "(null for unknown) and nothing else; problems name the instance and the field.")
    Predictions.PredictionResponse predict(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @Valid @RequestBody PredictionBody body) {
        return predictions.predict(scope.tenant(), name, body.instances());
    }
}
