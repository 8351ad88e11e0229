package dev.citadel.crypto;

import dev.citadel.platform.TenantId;

/** A security event: a wrapped keyset failed to unwrap (tampered, damaged, or moved to another owner or purpose). */
public record KeyIntegrityFailure(TenantId tenant, String purpose) {}
