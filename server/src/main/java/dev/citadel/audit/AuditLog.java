package dev.citadel.audit;

import java.util.List;

import dev.citadel.platform.web.RequestMetadata;

/**
 * Appends audit entries to a tenant's hash chain.
 *
 * <p>Security guarantees: {@link #append} joins the caller's transaction and must be called inside
 * one whose tenant context is the event's tenant — the entry commits or rolls back with the change
 * it records. Each entry gets the next sequence number of its tenant's chain and
 * {@code hash = SHA-256(previous hash ‖ canonical entry)}. If the append fails the caller's
 * transaction fails too and the client gets 503 {@code audit.unavailable}: no change goes unaudited.
 * It does not by itself stop a database administrator rewriting the chain; signed checkpoints do.
 */
public interface AuditLog {

    /** Appends in the current transaction and returns the entry's sequence number. */
    long append(AuditEvent event);

    /**
     * Appends in the current transaction, recording {@code origin} as the request the event came from
     * (for events appended on another thread than their request's, as {@link GroupCommitAudit} does).
     */
    default long append(AuditEvent event, RequestMetadata origin) {
        return append(event);
    }

    /**
     * Appends {@code entries} in order, in the current transaction, as consecutive entries of their
     * tenant's chain (all must belong to the transaction's tenant); all or none commit.
     */
    default void appendAll(List<Origined> entries) {
        entries.forEach(e -> append(e.event(), e.origin()));
    }

    /** An event and the request it came from. */
    record Origined(AuditEvent event, RequestMetadata origin) {}
}
