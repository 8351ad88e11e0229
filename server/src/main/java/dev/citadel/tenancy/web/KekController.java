package dev.citadel.tenancy.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.crypto.KekRotation;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.PlatformAction;
import dev.citadel.platform.access.PlatformOperation;
import dev.citadel.tenancy.Tenants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The key-encryption key: which provider and version, and its rotation (platform administrators). */
@RestController
@Tag(name = "Platform")
class KekController {

    private final KekRotation rotation;
    private final Tenants tenants;

    KekController(KekRotation rotation, Tenants tenants) {
        this.rotation = rotation;
        this.tenants = tenants;
    }

    record KekView(String provider, String currentVersion) {}

    @GetMapping("/api/v1/platform/kek")
    @PlatformOperation(PlatformAction.KEK_MANAGE)
    @Operation(summary = "Show the KEK provider and its current version (never key material)")
    KekView show() {
        return new KekView(rotation.description(), rotation.currentKekId());
    }

    @PostMapping("/api/v1/platform/kek/rotation")
    @PlatformOperation(PlatformAction.KEK_MANAGE)
    @Operation(summary = "Rotate the KEK and re-wrap every keyset",
            description = "Creates a new KEK version, then re-wraps the platform keysets and every tenant's keysets "
                    + "under it. Older versions keep unwrapping, so an interrupted rotation loses nothing; finish it with "
                    + "POST /api/v1/platform/kek/rewrap.")
    KekRotation.Result rotate() {
        return rotation.rotate(allTenants());
    }

    @PostMapping("/api/v1/platform/kek/rewrap")
    @PlatformOperation(PlatformAction.KEK_MANAGE)
    @Operation(summary = "Finish an interrupted KEK rotation",
            description = "Re-wraps whatever is still under an older KEK version, without creating a new version.")
    KekRotation.Result rewrap() {
        return rotation.rewrapAll(allTenants());
    }

    private List<TenantId> allTenants() {
        return tenants.list(0, Integer.MAX_VALUE).stream().map(t -> new TenantId(t.id())).toList();
    }
}
