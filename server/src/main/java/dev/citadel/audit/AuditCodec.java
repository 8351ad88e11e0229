package dev.citadel.audit;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.citadel.auditverifier.CanonicalEntry;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The canonical encoding of an entry (format v1, pinned by a golden test), shared with the offline
 * verifier: {@link CanonicalEntry} in the {@code audit-verifier} module.
 * An entry's hash is {@link CanonicalEntry#chainHash}: {@code SHA-256(previousHash ‖ canonical)}.
 */
final class AuditCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private AuditCodec() {}

    static CanonicalEntry canonicalEntry(AuditEntry entry) {
        return new CanonicalEntry(entry.tenant(), entry.seq(), entry.eventId().toString(), time(entry.occurredAt()),
                entry.actor(), entry.action(), entry.targetType(), entry.targetId(), entry.outcome().wireName(),
                entry.requestId(), entry.sourceAddress(), entry.details());
    }

    static byte[] canonical(AuditEntry entry) {
        return canonicalEntry(entry).bytes();
    }

    static String time(java.time.Instant instant) {
        return TIME.format(instant);
    }

    static String detailsJson(SortedMap<String, String> details) {
        return JSON.writeValueAsString(details);
    }

    static SortedMap<String, String> parseDetails(String json) {
        if (json == null || json.isBlank()) {
            return new TreeMap<>();
        }
        return new TreeMap<>(JSON.readValue(json.getBytes(StandardCharsets.UTF_8), new TypeReference<Map<String, String>>() {}));
    }
}
