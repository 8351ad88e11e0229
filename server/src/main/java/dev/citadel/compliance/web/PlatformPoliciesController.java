package dev.citadel.compliance.web;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.compliance.Policies;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Platform-wide policies, in force on every tenant, and the built-in pack (platform administrators). */
@RestController
@RequestMapping("/api/v1/policies")
@Tag(name = "Policies")
class PlatformPoliciesController {

    private final Policies policies;

    PlatformPoliciesController(Policies policies) {
        this.policies = policies;
    }

    @GetMapping
    @PlatformOperation(PlatformAction.PLATFORM_POLICIES_MANAGE)
    @Operation(operationId = "listPlatformPolicies", summary = "The platform's policies, built-in pack included")
    List<Policies.PolicyView> list() {
        return policies.listPlatform();
    }

    @GetMapping("/{id}")
    @PlatformOperation(PlatformAction.PLATFORM_POLICIES_MANAGE)
    @Operation(operationId = "showPlatformPolicy", summary = "Show a platform policy")
    Policies.PolicyView show(@PathVariable @Size(max = 64) String id) {
        return policies.getPlatform(id);
    }

    @PutMapping("/{id}")
    @PlatformOperation(PlatformAction.PLATFORM_POLICIES_MANAGE)
    @Operation(operationId = "putPlatformPolicy", summary = "Create or change a platform policy",
            description = "Same body as a tenant policy. Using a built-in policy's id overrides it (for example "
                    + "\"enabled\": false disables it everywhere); deleting the override restores the built-in.")
    @ApiResponse(responseCode = "201", description = "Created")
    ResponseEntity<Policies.PolicyView> put(@PathVariable @Size(max = 64) String id,
            @Valid @RequestBody PoliciesController.PolicyBody body) {
        Policies.PutResult result = policies.putPlatform(id, body.request());
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.policy());
    }

    @DeleteMapping("/{id}")
    @PlatformOperation(PlatformAction.PLATFORM_POLICIES_MANAGE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deletePlatformPolicy", summary = "Remove a platform policy, or reset a built-in one")
    void delete(@PathVariable @Size(max = 64) String id) {
        policies.deletePlatform(id);
    }
}
