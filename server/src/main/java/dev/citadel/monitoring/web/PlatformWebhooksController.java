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
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The platform's own alert webhooks (alerts of the platform trail, tenant {@code _platform}); platform admins only. */
@RestController
@RequestMapping("/api/v1/platform/webhooks")
@Tag(name = "Alerts")
class PlatformWebhooksController {

    private final Webhooks webhooks;

    PlatformWebhooksController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PutMapping("/{name}")
    @PlatformOperation(PlatformAction.PLATFORM_WEBHOOKS_MANAGE)
    @Operation(operationId = "putPlatformWebhook", summary = "Create or change a platform webhook",
            description = "As for a tenant's webhook; it receives the platform's own alerts (security events of the "
                    + "platform trail). Creating answers 201 with the signing secret, shown only then.")
    @ApiResponse(responseCode = "201", description = "Created; the answer holds the signing secret, shown only once")
    ResponseEntity<Webhooks.WebhookView> put(@PathVariable @Size(max = 64) String name,
            @Valid @RequestBody WebhooksController.WebhookBody body) {
        return WebhooksController.answer(webhooks.put(TenantId.PLATFORM, name, body.request()));
    }

    @GetMapping
    @PlatformOperation(PlatformAction.PLATFORM_WEBHOOKS_MANAGE)
    @Operation(operationId = "listPlatformWebhooks", summary = "List the platform's webhooks (never their secrets)")
    List<Webhooks.WebhookView> list() {
        return webhooks.list(TenantId.PLATFORM);
    }

    @GetMapping("/{name}")
    @PlatformOperation(PlatformAction.PLATFORM_WEBHOOKS_MANAGE)
    @Operation(operationId = "showPlatformWebhook", summary = "Show a platform webhook (never its secret)")
    Webhooks.WebhookView show(@PathVariable @Size(max = 64) String name) {
        return webhooks.get(TenantId.PLATFORM, name);
    }

    @DeleteMapping("/{name}")
    @PlatformOperation(PlatformAction.PLATFORM_WEBHOOKS_MANAGE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deletePlatformWebhook",
            summary = "Remove a platform webhook, its pending deliveries and its delivery log")
    void delete(@PathVariable @Size(max = 64) String name) {
        webhooks.delete(TenantId.PLATFORM, name);
    }

    @PostMapping("/{name}/secret-rotation")
    @PlatformOperation(PlatformAction.PLATFORM_WEBHOOKS_MANAGE)
    @Operation(operationId = "rotatePlatformWebhookSecret", summary = "Rotate a platform webhook's signing secret",
            description = "Answers the new secret once.")
    Webhooks.WebhookView rotate(@PathVariable @Size(max = 64) String name) {
        return webhooks.rotateSecret(TenantId.PLATFORM, name);
    }

    @PostMapping("/{name}/test")
    @PlatformOperation(PlatformAction.PLATFORM_WEBHOOKS_MANAGE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "testPlatformWebhook", summary = "Queue a test alert to a platform webhook")
    @ApiResponse(responseCode = "202", description = "Queued")
    Webhooks.TestDelivery test(@PathVariable @Size(max = 64) String name) {
        return webhooks.test(TenantId.PLATFORM, name);
    }

    @GetMapping("/{name}/deliveries")
    @PlatformOperation(PlatformAction.PLATFORM_WEBHOOKS_MANAGE)
    @Operation(operationId = "listPlatformWebhookDeliveries", summary = "A platform webhook's delivery log, newest first")
    Webhooks.DeliveryPage deliveries(@PathVariable @Size(max = 64) String name,
            @RequestParam(required = false) @Min(1) @Max(Long.MAX_VALUE) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return webhooks.deliveries(TenantId.PLATFORM, name, before == null ? Long.MAX_VALUE : before, limit);
    }
}
