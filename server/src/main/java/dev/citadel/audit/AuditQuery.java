package dev.citadel.audit;

import java.time.Instant;

/**
 * Which entries to list: those with a sequence number below {@code before}, optionally only within
 * [{@code from}, {@code to}) and matching each given field exactly; newest first, {@code limit} at most.
 */
public record AuditQuery(long before, int limit, Instant from, Instant to, String actor, String action,
        String targetType, String targetId, String outcome) {

    /** The newest {@code limit} entries, unfiltered. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(Long.MAX_VALUE, limit, null, null, null, null, null, null, null);
    }
}
