package dev.citadel.training.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.training.DpProfiles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Differentially private profiles of a dataset version, charged to its privacy ledger. */
@RestController
@Tag(name = "Datasets")
class DpProfilesController {

    private final DpProfiles profiles;

    DpProfilesController(DpProfiles profiles) {
        this.profiles = profiles;
    }

    @PostMapping("/api/v1/tenants/{tenant}/datasets/{name}/versions/{version}/dp-profile")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Release a differentially private profile of a dataset version",
            description = "Noisy row count, and per declared column a noisy count, mean (numeric, clamped to declared "
                    + "bounds) and histogram (declared bins or categories), with discrete Gaussian noise; the epsilon is "
                    + "charged to the version's privacy ledger first (409 privacy.budget_exhausted when it would pass "
                    + "the budget). For roles that may not read content, such as viewer.")
    DpProfiles.DpProfile profile(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version,
            @Valid @RequestBody DpProfiles.ProfileRequest request) {
        return profiles.profile(scope.tenant(), name, version, request);
    }
}
