package dev.citadel.monitoring.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.monitoring.alerts.Webhooks;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A tenant's alert webhooks: configuration, secret rotation, test deliveries and the delivery log (tenant admins). */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/webhooks")
@Tag(name = "Alerts")
class WebhooksController {

    private final Webhooks webhooks;

    WebhooksController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    /** The body of a PUT; URLs over 2048 characters answer webhook.invalid_url, bodies far beyond that request.invalid. */
    record WebhookBody(@Size(max = 8192) String url, @Size(max = 4) List<@Size(max = 16) String> types, Boolean enabled) {

        Webhooks.WebhookRequest request() {
            return new Webhooks.WebhookRequest(url, types, enabled);
        }
    }

    @PutMapping("/{name}")
    @TenantAction(Action.WEBHOOKS_MANAGE)
    @Operation(operationId = "putWebhook", summary = "Create or change a webhook",
            description = "url: https only, at most 2048 characters, no credentials, a public address; types: the alert "
                    + "types it receives (security, drift, bias, anomaly; all when left out); enabled (default true). "
                    + "Creating answers 201 with the signing secret (whsec_…), shown only then; changing answers 200 "
                    + "without it.")
    @ApiResponse(responseCode = "201", description = "Created; the answer holds the signing secret, shown only once")
    ResponseEntity<Webhooks.WebhookView> put(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @Valid @RequestBody WebhookBody body) {
        return answer(webhooks.put(scope.tenant(), name, body.request()));
    }

    @GetMapping
    @TenantAction(Action.WEBHOOKS_MANAGE)
    @Operation(operationId = "listWebhooks", summary = "List the tenant's webhooks (never their secrets)")
    List<Webhooks.WebhookView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return webhooks.list(scope.tenant());
    }

    @GetMapping("/{name}")
    @TenantAction(Action.WEBHOOKS_MANAGE)
    @Operation(operationId = "showWebhook", summary = "Show a webhook (never its secret)")
    Webhooks.WebhookView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return webhooks.get(scope.tenant(), name);
    }

    @DeleteMapping("/{name}")
    @TenantAction(Action.WEBHOOKS_MANAGE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteWebhook", summary = "Remove a webhook, its pending deliveries and its delivery log")
    void delete(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String name) {
        webhooks.delete(scope.tenant(), name);
    }

    @PostMapping("/{name}/secret-rotation")
    @TenantAction(Action.WEBHOOKS_MANAGE)
    @Operation(operationId = "rotateWebhookSecret", summary = "Rotate the signing secret",
            description = "Answers the new secret once. Every delivery from now on, retries included, is signed with it.")
    Webhooks.WebhookView rotate(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return webhooks.rotateSecret(scope.tenant(), name);
    }

    @PostMapping("/{name}/test")
    @TenantAction(Action.WEBHOOKS_MANAGE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "testWebhook", summary = "Queue a test alert to this webhook",
            description = "A signed delivery of type test and severity info; follow it in the delivery log.")
    @ApiResponse(responseCode = "202", description = "Queued")
    Webhooks.TestDelivery test(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name) {
        return webhooks.test(scope.tenant(), name);
    }

    @GetMapping("/{name}/deliveries")
    @TenantAction(Action.WEBHOOKS_MANAGE)
    @Operation(operationId = "listWebhookDeliveries", summary = "The webhook's delivery log, newest first",
            description = "Page with `before` (the lowest `seq` of the previous page). Each delivery: event id, alert type, "
                    + "state (pending, delivered, failed), attempts, last HTTP status and last error class.")
    Webhooks.DeliveryPage deliveries(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name,
            @RequestParam(required = false) @Min(1) @Max(Long.MAX_VALUE) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return webhooks.deliveries(scope.tenant(), name, before == null ? Long.MAX_VALUE : before, limit);
    }

    static ResponseEntity<Webhooks.WebhookView> answer(Webhooks.PutResult result) {
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.webhook());
    }
}
