package dev.citadel.audit;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;

/**
 * What happened, before it is placed in the chain. Details are identifiers and counts, never PII
 * values or secrets; keys and values are length-limited so an entry stays small.
 *
 * @param tenant     whose trail it belongs to ({@link TenantId#PLATFORM} for platform events)
 * @param actor      who did it ({@code user:…}, {@code service-account:…}, {@code anonymous}, {@code system})
 * @param action     what was attempted, e.g. {@code member.put}
 * @param targetType kind of object acted on, e.g. {@code member} (may be null)
 * @param targetId   its identifier (may be null)
 * @param outcome    success, denied or failure
 * @param details    small extra facts (reason codes, counts)
 */
public record AuditEvent(
        TenantId tenant,
        String actor,
        String action,
        String targetType,
        String targetId,
        AuditOutcome outcome,
        SortedMap<String, String> details) {

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.-]{1,79}");

    public AuditEvent {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(outcome, "outcome");
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("invalid audit action");
        }
        details = details == null ? new TreeMap<>() : new TreeMap<>(details);
        details.forEach((k, v) -> {
            if (k.length() > 64 || v == null || v.length() > 512) {
                throw new IllegalArgumentException("audit detail too long");
            }
        });
    }

    /** An event by the current request's principal. */
    public static AuditEvent of(TenantId tenant, String action, String targetType, String targetId,
            AuditOutcome outcome, Map<String, String> details) {
        return new AuditEvent(tenant, Principals.currentActor(), action, targetType, targetId, outcome,
                new TreeMap<>(details));
    }

    public static AuditEvent success(TenantId tenant, String action, String targetType, String targetId) {
        return of(tenant, action, targetType, targetId, AuditOutcome.SUCCESS, Map.of());
    }
}
