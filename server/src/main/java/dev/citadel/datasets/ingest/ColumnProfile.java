package dev.citadel.datasets.ingest;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Infers one column's type and statistics from every stored value, in constant memory: type
 * (boolean, integer, decimal, date, timestamp, categorical, text), null count, min/max/mean for
 * numbers, and the most frequent values of categoricals (tracked up to a bounded number of
 * distinct values).
 */
final class ColumnProfile {

    static final int MAX_TRACKED_DISTINCT = 1_000;
    static final int MAX_CATEGORIES = 50;
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d{1,3})?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?");

    private final String name;
    private long values;
    private long nulls;
    private boolean allBoolean = true;
    private boolean allInteger = true;
    private boolean allDecimal = true;
    private boolean allDate = true;
    private boolean allTimestamp = true;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;
    private long numbers;
    private Map<String, Long> counts = new HashMap<>();

    ColumnProfile(String name) {
        this.name = name;
    }

    static boolean isNull(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        String v = value.strip();
        return v.equalsIgnoreCase("na") || v.equalsIgnoreCase("n/a") || v.equalsIgnoreCase("null");
    }

    void observe(String value) {
        values++;
        if (isNull(value)) {
            nulls++;
            return;
        }
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        allBoolean &= lower.equals("true") || lower.equals("false") || lower.equals("yes") || lower.equals("no");
        boolean integer = allInteger && INTEGER.matcher(v).matches();
        allInteger = integer;
        boolean decimal = allDecimal && (integer || DECIMAL.matcher(v).matches());
        allDecimal = decimal;
        if (decimal) {
            double d = Double.parseDouble(v);
            min = Math.min(min, d);
            max = Math.max(max, d);
            sum += d;
            numbers++;
        }
        allDate &= DATE.matcher(v).matches();
        allTimestamp &= TIMESTAMP.matcher(v).matches();
        if (counts != null) {
            counts.merge(v, 1L, Long::sum);
            if (counts.size() > MAX_TRACKED_DISTINCT) {
                counts = null;
            }
        }
    }

    /** The inferred schema; top values are withheld when {@code sensitive}. */
    ColumnSchema result(boolean sensitive) {
        long nonNull = values - nulls;
        String type;
        if (nonNull == 0) {
            type = "text";
        } else if (allBoolean) {
            type = "boolean";
        } else if (allInteger) {
            type = "integer";
        } else if (allDecimal) {
            type = "decimal";
        } else if (allDate) {
            type = "date";
        } else if (allTimestamp) {
            type = "timestamp";
        } else if (counts != null && counts.size() <= MAX_CATEGORIES && nonNull >= 2L * counts.size()) {
            type = "categorical";
        } else {
            type = "text";
        }
        boolean numeric = type.equals("integer") || type.equals("decimal");
        List<ColumnSchema.TopValue> top = List.of();
        if (!sensitive && counts != null && (type.equals("categorical") || type.equals("boolean"))) {
            top = counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(10).map(e -> new ColumnSchema.TopValue(e.getKey(), e.getValue())).toList();
        }
        return new ColumnSchema(name, type, nulls, numeric ? min : null, numeric ? max : null,
                numeric && numbers > 0 ? sum / numbers : null, counts == null ? null : (long) counts.size(),
                top.isEmpty() ? null : top);
    }
}
