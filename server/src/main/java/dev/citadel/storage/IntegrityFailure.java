package dev.citadel.storage;

import java.util.UUID;

import dev.citadel.crypto.BlobContext;
import dev.citadel.platform.TenantId;

/**
 * A security event: a stored blob failed authenticated decryption — tampered, truncated, copied
 * from another object or tenant, or encrypted with a destroyed key. Published so the audit trail
 * and alerting record it.
 */
public record IntegrityFailure(TenantId tenant, BlobContext.BlobKind kind, UUID objectId, int version, String reason) {}
