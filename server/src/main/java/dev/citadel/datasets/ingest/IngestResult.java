package dev.citadel.datasets.ingest;

import java.util.List;

/**
 * Everything an upload produced besides the stored content.
 *
 * @param rows              data rows stored
 * @param schema            the stored columns (dropped columns are absent)
 * @param keptSensitive     columns with detected direct identifiers stored unprotected by a {@code keep} policy
 */
public record IngestResult(long rows, List<ColumnSchema> schema, List<Finding> findings, ValidationReport validation,
        List<String> keptSensitive) {}
