package dev.citadel.audit;

import java.time.Instant;
import java.util.SortedMap;
import java.util.UUID;

/** An entry as stored in a tenant's chain. */
public record AuditEntry(
        String tenant,
        long seq,
        UUID eventId,
        Instant occurredAt,
        String actor,
        String action,
        String targetType,
        String targetId,
        AuditOutcome outcome,
        String requestId,
        String sourceAddress,
        SortedMap<String, String> details,
        byte[] previousHash,
        byte[] hash) {}
