package dev.citadel.storage.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.crypto.KeyVersion;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantAction;
import dev.citadel.platform.access.TenantScope;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.jobs.JobView;
import dev.citadel.platform.jobs.Jobs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A tenant's keys: list versions (never material) and rotate without downtime. */
@RestController
@Tag(name = "Keys")
class KeysController {

    private final TenantKeys keys;
    private final Jobs jobs;
    private final TenantTransactions transactions;

    KeysController(TenantKeys keys, Jobs jobs, TenantTransactions transactions) {
        this.keys = keys;
        this.jobs = jobs;
        this.transactions = transactions;
    }

    record KeysView(List<KeyVersion> keys) {}

    record RotationView(List<KeyVersion> keys, JobView reencryption) {}

    @GetMapping("/api/v1/tenants/{tenant}/keys")
    @TenantAction(Action.KEYS_LIST)
    @Operation(summary = "List the tenant's key versions",
            description = "Purpose, key id, status (primary, enabled, destroyed) and dates; never key material.")
    KeysView list(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        return new KeysView(keys.list(scope.tenant()));
    }

    @PostMapping("/api/v1/tenants/{tenant}/keys/rotation")
    @TenantAction(Action.KEYS_ROTATE)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202",
            description = "Rotated; the re-encryption job is queued (see Location)")
    @Operation(summary = "Rotate the tenant's keys",
            description = "Adds a new primary key for blobs, secrets and signing (tokenization keys are kept so tokens "
                    + "stay joinable). Existing data stays readable; a re-encryption job moves blobs to the new key. "
                    + "Answers 202 with the job to poll.")
    ResponseEntity<RotationView> rotate(TenantScope scope, @PathVariable @Size(max = 40) String tenant) {
        RotationView view = transactions.inTenant(scope.tenant(), () -> {
            List<KeyVersion> rotated = keys.rotate(scope.tenant());
            JobView job = jobs.submit(scope.tenant(), "keys.reencrypt", Map.of());
            return new RotationView(rotated, job);
        });
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/tenants/" + scope.tenant().value() + "/jobs/" + view.reencryption().id()))
                .body(view);
    }
}
