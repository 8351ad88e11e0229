package dev.citadel.identity.web;

import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.identity.token.SigningKeys;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Rotation of the access-token signing key (platform administrators). */
@RestController
@Tag(name = "Platform")
class SigningKeysController {

    private final SigningKeys keys;
    private final AuditLog audit;
    SigningKeysController(SigningKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    record Rotated(String kid) {}

    @PostMapping("/api/v1/platform/token-signing-keys/rotation")
    @PlatformOperation(PlatformAction.SIGNING_KEYS_MANAGE)
    @Operation(summary = "Rotate the token signing key",
            description = "New tokens are signed with a new ES256 key at once; tokens signed with the previous key "
                    + "stay valid until they expire.")
    Rotated rotate() {
        return new Rotated(keys.rotate(kid -> audit.append(AuditEvent.of(TenantId.PLATFORM, "signing_key.rotate",
                "signing-key", kid, AuditOutcome.SUCCESS, Map.of()))));
    }
}
