package dev.citadel.auditverifier;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * One audit entry in its canonical form (format v1), the bytes its chain hash covers: a compact
 * JSON object with the keys in this fixed order — {@code v, tenant, seq, eventId, time, actor,
 * action, targetType, targetId, outcome, requestId, source, details} — {@code time} as UTC with
 * millisecond precision ({@code 2026-11-23T10:15:30.123Z}), {@code details} sorted by key, absent
 * values as JSON {@code null}.
 *
 * <p>Security guarantees: the server and the offline verifier build an entry's bytes with this one
 * class, so a verifier recomputes exactly what the server hashed. {@link #chainHash} is
 * {@code SHA-256(previous chain hash ‖ canonical bytes)}; the first entry's previous hash is
 * {@link #genesis()} (32 zero bytes). The server's golden test pins the bytes.
 */
public record CanonicalEntry(String tenant, long seq, String eventId, String time, String actor, String action,
        String targetType, String targetId, String outcome, String requestId, String source,
        SortedMap<String, String> details) {

    /** The format version written into every entry. */
    public static final int VERSION = 1;

    /** The previous hash of a chain's first entry. */
    public static byte[] genesis() {
        return new byte[MerkleTree.HASH_LENGTH];
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public CanonicalEntry {
        details = Collections.unmodifiableSortedMap(new TreeMap<>(details == null ? Map.of() : details));
    }

    /**
     * The canonical bytes (UTF-8 JSON), written field by field with the same generator that
     * serialising an ordered map would use (the golden test pins them).
     */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * details.size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeName("v");
            json.writeNumber(VERSION);
            string(json, "tenant", tenant);
            json.writeName("seq");
            json.writeNumber(seq);
            string(json, "eventId", eventId);
            string(json, "time", time);
            string(json, "actor", actor);
            string(json, "action", action);
            string(json, "targetType", targetType);
            string(json, "targetId", targetId);
            string(json, "outcome", outcome);
            string(json, "requestId", requestId);
            string(json, "source", source);
            json.writeName("details");
            json.writeStartObject();
            for (Map.Entry<String, String> detail : details.entrySet()) {
                string(json, detail.getKey(), detail.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void string(JsonGenerator json, String name, String value) {
        json.writeName(name);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeString(value);
        }
    }

    /** {@code SHA-256(previousHash ‖ bytes())}: this entry's link in its tenant's chain. */
    public byte[] chainHash(byte[] previousHash) {
        MerkleTree.requireHash(previousHash, "previous hash");
        MessageDigest sha256 = sha256();
        sha256.update(previousHash);
        sha256.update(bytes());
        return sha256.digest();
    }

    /** The canonical bytes as text, for display. */
    @Override
    public String toString() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
