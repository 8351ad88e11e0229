package dev.citadel.training.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.training.PrivacyBudgets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The differential-privacy budget of a dataset and the ledger of a dataset version. */
@RestController
@Tag(name = "Training")
class PrivacyBudgetsController {

    private static final String BASE = "/api/v1/tenants/{tenant}/datasets/{name}";

    private final PrivacyBudgets budgets;

    PrivacyBudgetsController(PrivacyBudgets budgets) {
        this.budgets = budgets;
    }

    /** The ε budget each version of the dataset gets, and whether it is sensitive; either may be left out. */
    record BudgetRequest(Double budget, Boolean sensitive) {}

    @PutMapping(BASE + "/privacy-budget")
    @TenantAction(Action.PRIVACY_POLICY_SET)
    @Operation(summary = "Set the dataset's differential-privacy budget and sensitive flag (data stewards)",
            description = "budget: the epsilon each version of the dataset may spend on differentially private training "
                    + "and DP profiles, summed over charges (basic composition). Lowering it below what a version has "
                    + "spent refuses further charges on that version; nothing is refunded. sensitive: a sensitive "
                    + "dataset is trained only with DP (built-in policy dp-for-sensitive-datasets). A field left out "
                    + "keeps its value.")
    PrivacyBudgets.Budget setBudget(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @Valid @RequestBody BudgetRequest request) {
        return budgets.setBudget(scope.tenant(), name, request.budget(), request.sensitive());
    }

    @GetMapping(BASE + "/versions/{version}/privacy-ledger")
    @TenantAction(Action.METADATA_READ)
    @Operation(summary = "Show a dataset version's privacy ledger: budget, epsilon and delta spent, every charge")
    PrivacyBudgets.Ledger ledger(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable @Size(max = 64) String name, @PathVariable @Min(1) @Max(1_000_000) int version) {
        return budgets.ledger(scope.tenant(), name, version);
    }
}
