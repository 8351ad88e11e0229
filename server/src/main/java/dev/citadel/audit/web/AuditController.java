package dev.citadel.audit.web;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.audit.AuditQuery;
import dev.citadel.audit.AuditTrail;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.platform.access.PublicEndpoint;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Reading, verifying, proving and exporting a tenant's own audit trail (auditors and tenant admins). */
@RestController
@Tag(name = "Audit")
class AuditController {

    private static final String NDJSON = "application/x-ndjson";
    private final AuditTrail trail;

    AuditController(AuditTrail trail) {
        this.trail = trail;
    }

    @GetMapping("/api/v1/tenants/{tenant}/audit")
    @TenantAction(Action.AUDIT_READ)
    @Operation(summary = "List the tenant's audit entries, newest first, optionally filtered",
            description = "Page with `before` (the lowest `seq` of the previous page). `from`/`to` bound the entry "
                    + "time (ISO-8601, `to` exclusive); `actor`, `action`, `targetType`, `targetId` and `outcome` "
                    + "match exactly.")
    AuditTrail.AuditPage list(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam(required = false) @Min(1) @Max(Long.MAX_VALUE) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) @Size(max = 120) String actor,
            @RequestParam(required = false) @Size(max = 80) String action,
            @RequestParam(required = false) @Size(max = 40) String targetType,
            @RequestParam(required = false) @Size(max = 200) String targetId,
            @RequestParam(required = false) @Size(max = 16) @Pattern(regexp = "success|failure|denied") String outcome) {
        return trail.page(scope.tenant(), new AuditQuery(before == null ? Long.MAX_VALUE : before, limit, from, to,
                actor, action, targetType, targetId, outcome));
    }

    @GetMapping("/api/v1/tenants/{tenant}/audit/verification")
    @TenantAction(Action.AUDIT_VERIFY)
    @Operation(summary = "Verify the tenant's whole audit chain, its signed checkpoints and the witness copy",
            description = "`valid` is false when any entry, link, checkpoint or the head does not verify; "
                    + "`firstInvalidEntry` names the first entry that can no longer be trusted and `problem` says why.")
    AuditTrail.Verification verify(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return trail.verify(scope.tenant());
    }

    @GetMapping("/api/v1/tenants/{tenant}/audit/proofs/inclusion")
    @TenantAction(Action.AUDIT_VERIFY)
    @Operation(summary = "An RFC 6962 inclusion proof of entry `seq` in the tree of the first `treeSize` entries",
            description = "The leaf is SHA-256(0x00 ‖ the entry's chain hash).")
    AuditTrail.InclusionProof inclusion(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam @Min(1) @Max(Long.MAX_VALUE) long seq,
            @RequestParam @Min(1) @Max(Long.MAX_VALUE) long treeSize) {
        return trail.inclusionProof(scope.tenant(), seq, treeSize);
    }

    @GetMapping("/api/v1/tenants/{tenant}/audit/proofs/consistency")
    @TenantAction(Action.AUDIT_VERIFY)
    @Operation(summary = "An RFC 6962 consistency proof between the trees of the first `from` and `to` entries",
            description = "Lets the holder of an older checkpoint check that the trail only grew since.")
    AuditTrail.ConsistencyProof consistency(TenantScope scope, @PathVariable @Size(max = 40) String tenant,
            @RequestParam @Min(1) @Max(Long.MAX_VALUE) long from,
            @RequestParam @Min(1) @Max(Long.MAX_VALUE) long to) {
        return trail.consistencyProof(scope.tenant(), from, to);
    }

    @GetMapping(value = "/api/v1/tenants/{tenant}/audit/export", produces = NDJSON)
    @TenantAction(Action.AUDIT_EXPORT)
    @Operation(summary = "Export the tenant's trail as JSON Lines (citadel-audit-export/v1) for offline verification",
            description = "Header, signed checkpoints, chain head, every entry, end line. Verify with "
                    + "`java -jar audit-verifier/target/citadel-audit-verifier-<version>-cli.jar verify-audit export.jsonl --key audit.pem`.")
    void export(TenantScope scope, @PathVariable @Size(max = 40) String tenant, HttpServletResponse response)
            throws IOException {
        exportOf(scope.tenant(), response);
    }

    @GetMapping("/api/v1/platform/audit")
    @PlatformOperation(PlatformAction.PLATFORM_AUDIT_READ)
    @Operation(summary = "List the platform's own audit entries (sign-ins, tenant and user administration, "
            + "rejected tokens, outsiders' probes), newest first")
    AuditTrail.AuditPage platform(@RequestParam(required = false) @Min(1) @Max(Long.MAX_VALUE) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return trail.page(TenantId.PLATFORM, new AuditQuery(before == null ? Long.MAX_VALUE : before, limit,
                null, null, null, null, null, null, null));
    }

    @GetMapping("/api/v1/platform/audit/verification")
    @PlatformOperation(PlatformAction.PLATFORM_AUDIT_READ)
    @Operation(summary = "Verify the platform's own audit chain and its checkpoints")
    AuditTrail.Verification verifyPlatform() {
        return trail.verify(TenantId.PLATFORM);
    }

    @GetMapping(value = "/api/v1/platform/audit/export", produces = NDJSON)
    @PlatformOperation(PlatformAction.PLATFORM_AUDIT_READ)
    @Operation(summary = "Export the platform's own trail as JSON Lines for offline verification")
    void exportPlatform(HttpServletResponse response) throws IOException {
        exportOf(TenantId.PLATFORM, response);
    }

    /** The audit signing public keys. */
    record SigningKeys(List<SigningKey> keys) {}

    /** One audit signing public key: its id (as checkpoints name it) and the PEM. */
    record SigningKey(String keyId, String publicKey) {}

    @GetMapping("/api/v1/audit/signing-keys")
    @PublicEndpoint
    @Operation(summary = "The platform's audit signing public keys (Ed25519, PEM), for verifying checkpoints offline")
    SigningKeys signingKeys() {
        Map<String, String> keys = trail.signingKeys();
        return new SigningKeys(keys.entrySet().stream().map(e -> new SigningKey(e.getKey(), e.getValue())).toList());
    }

    private void exportOf(TenantId tenant, HttpServletResponse response) throws IOException {
        response.setContentType(NDJSON + "; charset=utf-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-" + tenant.value() + ".jsonl\"");
        BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                1 << 16);
        trail.export(tenant, writer);
    }
}
