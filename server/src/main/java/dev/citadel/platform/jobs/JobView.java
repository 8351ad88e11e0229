package dev.citadel.platform.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A job as its tenant sees it. */
public record JobView(UUID id, String kind, String state, String phase, int percent, Map<String, String> params,
        Map<String, String> result, String error, String createdBy, Instant createdAt, Instant startedAt,
        Instant finishedAt) {}
