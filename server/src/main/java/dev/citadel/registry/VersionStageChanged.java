package dev.citadel.registry;

import dev.citadel.platform.TenantId;

/** Published after a version changed stage, so caches holding it can drop it (an archived version is not served). */
public record VersionStageChanged(TenantId tenant, String model, int version, Stage stage) {}
