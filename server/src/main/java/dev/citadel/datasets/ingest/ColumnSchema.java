package dev.citadel.datasets.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One stored column as training and serving see it.
 *
 * @param distinct  distinct non-null values when at most 1,000, otherwise null (many)
 * @param topValues the most frequent values of categorical and boolean columns (never of sensitive ones)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSchema(String name, String type, long nullCount, Double min, Double max, Double mean, Long distinct,
        List<TopValue> topValues) {

    public record TopValue(String value, long count) {}

    /** Whether a stored cell counts as missing (empty, NA, N/A, null), as the profile counted it. */
    public static boolean isNull(String value) {
        return ColumnProfile.isNull(value);
    }
}
