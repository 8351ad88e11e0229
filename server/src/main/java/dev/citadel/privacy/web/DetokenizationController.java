package dev.citadel.privacy.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.privacy.Tokenizer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Reversing tokens — only for data stewards, and always audited. */
@RestController
@Tag(name = "Privacy")
class DetokenizationController {

    private final Tokenizer tokenizer;
    private final AuditLog audit;
    private final TenantTransactions transactions;

    DetokenizationController(Tokenizer tokenizer, AuditLog audit, TenantTransactions transactions) {
        this.tokenizer = tokenizer;
        this.audit = audit;
        this.transactions = transactions;
    }

    record DetokenizeRequest(@NotNull @Size(min = 1, max = 100) List<@NotNull @Size(max = 4096) String> tokens) {}

    record DetokenizeResponse(Map<String, String> values) {}

    @PostMapping("/api/v1/tenants/{tenant}/detokenization")
    @TenantAction(Action.DETOKENIZE)
    @Operation(summary = "Reveal the values behind tokens (data stewards)",
            description = "Up to 100 tokens of this tenant. Each call is audited with the number of tokens, never the values.")
    DetokenizeResponse detokenize(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @Valid @RequestBody DetokenizeRequest request) {
        Tokenizer.Tokens tokens = tokenizer.forTenant(scope.tenant());
        Map<String, String> values = new LinkedHashMap<>();
        for (String token : request.tokens()) {
            values.put(token, tokens.detokenize(token));
        }
        transactions.inTenant(scope.tenant(), () -> {
            audit.append(AuditEvent.of(scope.tenant(), "privacy.detokenize", "tokens", null, AuditOutcome.SUCCESS,
                    Map.of("count", Integer.toString(values.size()))));
        });
        return new DetokenizeResponse(values);
    }
}
