package dev.citadel.tenancy.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.tenancy.Tenants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Tenants: platform administrators create and list them; members see their own. */
@RestController
@RequestMapping("/api/v1/tenants")
@Tag(name = "Tenants")
class TenantsController {

    private final Tenants tenants;

    TenantsController(Tenants tenants) {
        this.tenants = tenants;
    }

    record QuotasRequest(@Positive long storageBytes, @Min(1) @Max(64) int trainingConcurrency,
            @Positive long predictionsPerDay) {}

    record CreateTenantRequest(
            @NotBlank @Size(max = 40) @Pattern(regexp = "[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?",
                    message = "must be a lower-case slug of 1-40 letters, digits and '-'") String id,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 32) @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,31}", message = "must be a region slug such as eu-west-1")
            String region,
            @Size(max = 16) @Pattern(regexp = "free|standard|enterprise", message = "must be free, standard or enterprise") String plan,
            @Valid QuotasRequest quotas) {}

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PlatformOperation(PlatformAction.TENANTS_MANAGE)
    @Operation(summary = "Create a tenant", description = "Quotas default from the plan (standard when omitted).")
    Tenants.TenantView create(@Valid @RequestBody CreateTenantRequest request) {
        Tenants.Quotas quotas = request.quotas() == null ? null : new Tenants.Quotas(request.quotas().storageBytes(),
                request.quotas().trainingConcurrency(), request.quotas().predictionsPerDay());
        return tenants.create(new Tenants.NewTenant(new TenantId(request.id()), request.name().strip(), request.region(),
                request.plan(), quotas));
    }

    @GetMapping
    @PlatformOperation(PlatformAction.TENANTS_MANAGE)
    @Operation(summary = "List all tenants (platform administrators)")
    List<Tenants.TenantView> list(@RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int offset,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        return tenants.list(offset, limit);
    }

    @GetMapping("/{tenant}")
    @TenantAction(Action.TENANT_READ)
    @Operation(summary = "Show a tenant")
    Tenants.TenantView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return tenants.find(scope.tenant())
                .orElseThrow(() -> new CitadelException(ErrorCode.TENANT_NOT_FOUND, "No such tenant."));
    }
}
