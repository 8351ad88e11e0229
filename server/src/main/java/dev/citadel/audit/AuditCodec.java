package dev.citadel.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The canonical encoding of an entry (format v1, pinned by a golden test): a compact JSON object
 * with a fixed key order, UTC timestamps with millisecond precision, and details sorted by key.
 * {@code hash = SHA-256(previousHash ‖ canonical)}.
 */
final class AuditCodec {

    static final int VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private AuditCodec() {}

    static byte[] canonical(AuditEntry entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("v", VERSION);
        fields.put("tenant", entry.tenant());
        fields.put("seq", entry.seq());
        fields.put("eventId", entry.eventId().toString());
        fields.put("time", TIME.format(entry.occurredAt()));
        fields.put("actor", entry.actor());
        fields.put("action", entry.action());
        fields.put("targetType", entry.targetType());
        fields.put("targetId", entry.targetId());
        fields.put("outcome", entry.outcome().wireName());
        fields.put("requestId", entry.requestId());
        fields.put("source", entry.sourceAddress());
        fields.put("details", new TreeMap<>(entry.details()));
        return JSON.writeValueAsBytes(fields);
    }

    static byte[] hash(byte[] previousHash, byte[] canonical) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previousHash);
            sha256.update(canonical);
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
