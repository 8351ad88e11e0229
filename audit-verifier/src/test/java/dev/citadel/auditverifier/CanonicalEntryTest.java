package dev.citadel.auditverifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/**
 * The canonical bytes, written field by field, are exactly those of the format's definition: a
 * compact JSON object of the fields in their fixed order, as Jackson serialises an ordered map —
 * including escapes, non-ASCII text, absent values and empty or many details.
 */
class CanonicalEntryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void fieldByFieldBytesEqualTheOrderedMapSerialisation() {
        String[] hostile = {"", "plain", "quote \" and backslash \\", "tab\tnew\nline\r", "\u0000\u0001\u001f\u007f",
            "é ü ñ 漢字", "emoji \uD83D\uDE00", "line sep \u2028 para \u2029", "</script>", "lone \uD800 surrogate"};
        for (String text : hostile) {
            TreeMap<String, String> details = new TreeMap<>();
            details.put("a" + text, text);
            details.put("z", "");
            for (int i = 0; i < 20; i++) {
                details.put("k" + i, text + i);
            }
            for (CanonicalEntry entry : new CanonicalEntry[] {
                new CanonicalEntry(text, Long.MAX_VALUE, "e", "2026-11-23T10:15:30.123Z", text, text, text, text, "success",
                        text, text, details),
                new CanonicalEntry("t", 1, "e", "2026-11-23T10:15:30.123Z", "a", "b", null, null, "denied", null, null,
                        new TreeMap<>())}) {
                assertThat(entry.bytes()).as(text).isEqualTo(definition(entry));
            }
        }
    }

    /** The format's definition: the fields in order, serialised as an ordered map. */
    private static byte[] definition(CanonicalEntry entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("v", CanonicalEntry.VERSION);
        fields.put("tenant", entry.tenant());
        fields.put("seq", entry.seq());
        fields.put("eventId", entry.eventId());
        fields.put("time", entry.time());
        fields.put("actor", entry.actor());
        fields.put("action", entry.action());
        fields.put("targetType", entry.targetType());
        fields.put("targetId", entry.targetId());
        fields.put("outcome", entry.outcome());
        fields.put("requestId", entry.requestId());
        fields.put("source", entry.source());
        fields.put("details", entry.details());
        return JSON.writeValueAsBytes(fields);
    }
}
