package dev.citadel.identity.serviceaccount;

import java.time.Instant;
import java.util.UUID;

import dev.citadel.platform.TenantId;

/**
 * A service account row; the secret is held only as its SHA-256. {@code tlsSubjectDn} (RFC 2253)
 * is set for an account that authenticates with a client certificate instead of its secret.
 */
public record ServiceAccountRecord(
        UUID id,
        TenantId tenant,
        String name,
        String clientId,
        byte[] secretHash,
        Instant secretCreatedAt,
        boolean disabled,
        int tokenGeneration,
        Instant createdAt,
        String createdBy,
        Instant lastUsedAt,
        String tlsSubjectDn) {

    public boolean certificateBound() {
        return tlsSubjectDn != null;
    }
}
