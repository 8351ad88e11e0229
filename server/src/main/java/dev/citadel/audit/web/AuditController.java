package dev.citadel.audit.web;


import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.audit.AuditTrail;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Reading a tenant's own audit trail (auditors and tenant admins). */
@RestController
@Tag(name = "Audit")
class AuditController {

    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping("/api/v1/tenants/{tenant}/audit")
    @TenantAction(Action.AUDIT_READ)
    @Operation(summary = "List the tenant's audit entries, newest first",
            description = "Page with `before` (the lowest `seq` of the previous page).")
    AuditTrail.AuditPage list(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(required = false) @Min(1) @Max(Long.MAX_VALUE) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return trail.page(scope.tenant(), before == null ? Long.MAX_VALUE : before, limit);
    }

    @GetMapping("/api/v1/platform/audit")
    @PlatformOperation(PlatformAction.PLATFORM_AUDIT_READ)
    @Operation(summary = "List the platform's own audit entries (sign-ins, tenant and user administration, "
            + "rejected tokens, outsiders' probes), newest first")
    AuditTrail.AuditPage platform(@RequestParam(required = false) @Min(1) @Max(Long.MAX_VALUE) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return trail.page(TenantId.PLATFORM, before == null ? Long.MAX_VALUE : before, limit);
    }

}
