package dev.citadel.compliance.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.compliance.Erasures;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Erasure requests and their signed deletion certificates (tenant admins and data stewards). */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/erasure-requests")
@Tag(name = "Erasure")
class ErasureController {

    private final Erasures erasures;

    ErasureController(Erasures erasures) {
        this.erasures = erasures;
    }

    record ErasureBody(@Size(max = 16) String scope, @Size(max = 64) String dataset, @Size(max = 1024) String identifier,
            @Size(max = 100) List<@Size(max = 64) String> datasets) {

        @Override
        public String toString() {
            return "ErasureBody[scope=" + scope + ", dataset=" + dataset + ", identifier=<redacted>]";
        }
    }

    @PostMapping
    @TenantAction(Action.ERASURE_REQUEST)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "requestErasure", summary = "Erase a dataset, or a data subject from every dataset version",
            description = "scope dataset: {\"scope\":\"dataset\",\"dataset\":name} erases every version and the dataset. "
                    + "scope subject: {\"scope\":\"subject\",\"identifier\":value,\"datasets\"?:[names]} tokenizes the "
                    + "identifier with the tenant's key and rewrites every version holding it in a tokenized column into "
                    + "a new version without those rows, erasing the old one; models trained on affected versions are "
                    + "flagged for retraining. Answers 202 with the job; the certificate follows when it succeeds.")
    @ApiResponse(responseCode = "202", description = "Queued")
    Erasures.ErasureView request(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @Valid @RequestBody ErasureBody body) {
        return erasures.request(scope.tenant(), new Erasures.ErasureRequest(body.scope(), body.dataset(),
                body.identifier(), body.datasets()));
    }

    @GetMapping
    @TenantAction(Action.ERASURE_REQUEST)
    @Operation(operationId = "listErasures", summary = "The tenant's erasure requests, newest first")
    List<Erasures.ErasureView> list(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return erasures.list(scope.tenant(), limit);
    }

    @GetMapping("/{id}")
    @TenantAction(Action.ERASURE_REQUEST)
    @Operation(operationId = "showErasure", summary = "An erasure request: state, progress and what was erased")
    Erasures.ErasureView show(TenantScope scope, @PathVariable @Size(max = 40) String tenant, @PathVariable UUID id) {
        return erasures.get(scope.tenant(), id);
    }

    @GetMapping(path = "/{id}/certificate", produces = MediaType.APPLICATION_JSON_VALUE)
    @TenantAction(Action.ERASURE_REQUEST)
    @Operation(operationId = "erasureCertificate", summary = "The signed deletion certificate of a completed erasure",
            description = "{\"format\":\"citadel-erasure-certificate/v1\",\"document\":<signed JSON text>,\"algorithm\":"
                    + "\"Ed25519\",\"keyId\",\"signature\"}, signed with the platform's audit key "
                    + "(GET /api/v1/audit/signing-keys). Verify offline: java -jar citadel-audit-verifier-cli.jar "
                    + "verify-certificate certificate.json --key audit.pem")
    ResponseEntity<String> certificate(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @PathVariable UUID id) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(erasures.certificate(scope.tenant(), id));
    }
}
