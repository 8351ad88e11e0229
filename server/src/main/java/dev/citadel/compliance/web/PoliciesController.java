package dev.citadel.compliance.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

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

import dev.citadel.compliance.Policies;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A tenant's policies as code, its policy settings and dry runs (tenant admins manage; auditors read). */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}")
@Tag(name = "Policies")
class PoliciesController {

    private final Policies policies;

    PoliciesController(Policies policies) {
        this.policies = policies;
    }

    /** A policy as sent; the expression is type-checked when saved. */
    record PolicyBody(@Size(max = 16) String gate, @Size(max = 2000) String description,
            @Size(max = 8192) String expression, @Size(max = 8) String effect, @Size(max = 1000) String message,
            Boolean enabled) {

        Policies.PolicyRequest request() {
            return new Policies.PolicyRequest(gate, description, expression, effect, message, enabled);
        }
    }

    record EvaluationBody(@Size(max = 64) String id, @Valid PolicyBody policy, @Size(max = 64) Map<String, Object> input,
            UUID recordedInput) {}

    @GetMapping("/policies")
    @TenantAction(Action.POLICIES_READ)
    @Operation(operationId = "listPolicies", summary = "The policies in force: the platform's (read-only here) and the tenant's")
    List<Policies.PolicyView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return policies.list(scope.tenant());
    }

    @GetMapping("/policies/{id}")
    @TenantAction(Action.POLICIES_READ)
    @Operation(operationId = "showPolicy", summary = "Show one of the tenant's policies")
    Policies.PolicyView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String id) {
        return policies.get(scope.tenant(), id);
    }

    @PutMapping("/policies/{id}")
    @TenantAction(Action.POLICIES_MANAGE)
    @Operation(operationId = "putPolicy", summary = "Create or change a tenant policy",
            description = "gate: upload, train, register, approve, deploy, predict or export; expression: a CEL "
                    + "expression over `input` that must hold (docs/policies.md documents each gate's input); effect: "
                    + "deny (default) or warn; message: what a refused caller is told. An expression that does not "
                    + "type-check answers 400 policy.invalid with the compiler's message. Tenant policies add to the "
                    + "platform's; they cannot change or weaken them.")
    @ApiResponse(responseCode = "201", description = "Created")
    ResponseEntity<Policies.PolicyView> put(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String id, @Valid @RequestBody PolicyBody body) {
        Policies.PutResult result = policies.put(scope.tenant(), id, body.request());
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK).body(result.policy());
    }

    @DeleteMapping("/policies/{id}")
    @TenantAction(Action.POLICIES_MANAGE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deletePolicy", summary = "Remove a tenant policy")
    void delete(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable @Size(max = 64) String id) {
        policies.delete(scope.tenant(), id);
    }

    @PostMapping("/policies/evaluation")
    @TenantAction(Action.POLICIES_MANAGE)
    @Operation(operationId = "evaluatePolicy", summary = "Dry-run a policy against an input document or a recorded request",
            description = "Give a saved policy's id or an unsaved policy, and an input document or the id of a recorded "
                    + "gate input (GET …/policy-inputs). Nothing is enforced or stored; the answer says whether the "
                    + "policy holds and what its effect would be.")
    Policies.EvaluationView evaluate(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @Valid @RequestBody EvaluationBody body) {
        return policies.evaluate(scope.tenant(), new Policies.EvaluationRequest(body.id(),
                body.policy() == null ? null : body.policy().request(), body.input(), body.recordedInput()));
    }

    @GetMapping("/policy-inputs")
    @TenantAction(Action.POLICIES_MANAGE)
    @Operation(operationId = "listPolicyInputs", summary = "Recent gate inputs, newest first, to dry-run policies against",
            description = "The input documents of the tenant's latest gate decisions (the last 200; predictions only when "
                    + "a policy did not hold): names, settings and figures, never data values.")
    List<Policies.RecordedInputView> inputs(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(required = false) @Size(max = 16) String gate,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int limit) {
        return policies.recorded(scope.tenant(), gate, limit);
    }

    @GetMapping("/policy-settings")
    @TenantAction(Action.POLICIES_READ)
    @Operation(operationId = "showPolicySettings", summary = "The tenant settings the built-in policies read")
    Policies.Settings settings(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return policies.settings(scope.tenant());
    }

    @PutMapping("/policy-settings")
    @TenantAction(Action.POLICIES_MANAGE)
    @Operation(operationId = "putPolicySettings", summary = "Change the tenant settings the built-in policies read",
            description = "minAccuracy: the accuracy (0 to 1) a classifier needs to be approved (built-in policy "
                    + "minimum-accuracy-approve); null for no minimum.")
    Policies.Settings putSettings(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestBody Policies.Settings body) {
        return policies.putSettings(scope.tenant(), body);
    }
}
