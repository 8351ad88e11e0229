package dev.citadel.compliance.web;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.compliance.Erasures;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Whole-tenant erasure by crypto-shredding (platform administrators). */
@RestController
@RequestMapping("/api/v1/platform/tenant-erasures")
@Tag(name = "Erasure")
class TenantErasureController {

    private final Erasures erasures;

    TenantErasureController(Erasures erasures) {
        this.erasures = erasures;
    }

    record TenantErasureBody(@Size(max = 40) String tenant, @Size(max = 40) String confirm) {}

    @PostMapping
    @PlatformOperation(PlatformAction.TENANTS_MANAGE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "eraseTenant", summary = "Erase a whole tenant: destroy its keys, then its objects and rows",
            description = "{\"tenant\": id, \"confirm\": id}. The tenant's keysets are destroyed first (crypto-shredding: "
                    + "no copy of its objects, in any store or backup, can be decrypted afterwards), then its objects and "
                    + "every row of its own; its audit trail, key tombstones and certificates stay, and its id is never "
                    + "reused. Answers 202 with the job.")
    @ApiResponse(responseCode = "202", description = "Queued")
    Erasures.ErasureView erase(@Valid @RequestBody TenantErasureBody body) {
        return erasures.requestTenantErasure(body.tenant(), body.confirm());
    }

    @GetMapping("/{id}")
    @PlatformOperation(PlatformAction.TENANTS_MANAGE)
    @Operation(operationId = "showTenantErasure", summary = "A tenant erasure: state and progress")
    Erasures.ErasureView show(@PathVariable UUID id) {
        return erasures.tenantErasure(id);
    }

    @GetMapping(path = "/{id}/certificate", produces = MediaType.APPLICATION_JSON_VALUE)
    @PlatformOperation(PlatformAction.TENANTS_MANAGE)
    @Operation(operationId = "tenantErasureCertificate", summary = "The signed certificate of a completed tenant erasure")
    ResponseEntity<String> certificate(@PathVariable UUID id) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(erasures.tenantCertificate(id));
    }
}
