package dev.citadel.audit;

import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import dev.citadel.platform.TenantId;

/**
 * Published once a security event (an audit entry whose action starts with {@code security.}) has
 * committed in its tenant's trail, so monitoring can alert on it. Never published for an entry that
 * rolled back; listeners run on the committing thread and must not throw.
 *
 * @param tenant     whose trail holds the entry ({@link TenantId#PLATFORM} for the platform's own)
 * @param seq        the entry's sequence number in that trail
 * @param eventId    the entry's event id
 * @param action     e.g. {@code security.integrity_failure}
 * @param targetType kind of object concerned (may be null)
 * @param targetId   its identifier (may be null)
 * @param details    the entry's details (identifiers and reason codes, never PII or secrets)
 */
public record SecurityEventRecorded(TenantId tenant, long seq, UUID eventId, String action, String targetType,
        String targetId, SortedMap<String, String> details) {

    /** The action prefix that makes an audit entry a security event. */
    public static final String PREFIX = "security.";

    public SecurityEventRecorded {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(action, "action");
        details = new TreeMap<>(details == null ? java.util.Map.of() : details);
    }

    static boolean isSecurityEvent(String action) {
        return action.startsWith(PREFIX);
    }
}
