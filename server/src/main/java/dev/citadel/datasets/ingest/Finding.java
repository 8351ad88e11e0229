package dev.citadel.datasets.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the detectors found in one column over every value, and what was done about it. Never the
 * values themselves.
 *
 * @param kind           e.g. {@code us-ssn}
 * @param matchRatio     share of non-null values that matched
 * @param confidence     {@code high} or {@code medium}
 * @param action         the protection applied: tokenize, mask, drop, generalize, keep, or
 *                       {@code redact-values} for identifiers found in a column that looked clean
 *                       when the protections were chosen
 * @param redactedValues values redacted one by one in that last case
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(String column, String kind, double matchRatio, String confidence, String action,
        Long redactedValues) {}
