package dev.citadel.monitoring.alerts;

import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON body of a webhook delivery, fixed when the alert is raised and signed as stored on every
 * attempt: {@code {"id","type","severity","tenant","occurredAt","summary","details"}}.
 */
@JsonPropertyOrder({"id", "type", "severity", "tenant", "occurredAt", "summary", "details"})
record AlertPayload(String id, String type, String severity, String tenant, String occurredAt, String summary,
        SortedMap<String, String> details) {

    /** The body must fit the delivery log's column; details beyond it are dropped, and the payload says so. */
    static final int MAX_CHARS = 16_384;
    private static final int MAX_SUMMARY = 500;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static String json(UUID id, String type, String severity, String tenant, Instant occurredAt, String summary,
            SortedMap<String, String> details) {
        String shortSummary = summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY) : summary;
        String json = JSON.writeValueAsString(new AlertPayload(id.toString(), type, severity, tenant,
                occurredAt.toString(), shortSummary, details));
        if (json.length() <= MAX_CHARS) {
            return json;
        }
        return JSON.writeValueAsString(new AlertPayload(id.toString(), type, severity, tenant, occurredAt.toString(),
                shortSummary, new TreeMap<>(java.util.Map.of("truncated", "true"))));
    }
}
