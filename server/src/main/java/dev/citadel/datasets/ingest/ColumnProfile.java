package dev.citadel.datasets.ingest;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Infers one column's type and statistics from every stored value, in constant memory: type
 * (boolean, integer, decimal, date, timestamp, categorical, text), null count, min/max/mean for
 * numbers, and the most frequent values of categoricals (tracked up to a bounded number of
 * distinct values).
 *
 * <p>Runs on every value of every upload, so the common types are recognised by one scan of the
 * characters rather than regular expressions; a type once ruled out for a column is not tested again.
 */
final class ColumnProfile {

    static final int MAX_TRACKED_DISTINCT = 1_000;
    static final int MAX_CATEGORIES = 50;
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?");
    /** Powers of ten that are exact doubles: a decimal with at most 15 significant digits divides exactly once. */
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

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
    /** The exact sum of the numbers: per count of decimal places, in a long until it would overflow. */
    private final long[] scaledSums = new long[16];
    private BigDecimal exactSum = BigDecimal.ZERO;
    private long numbers;
    private Map<String, long[]> counts = new HashMap<>();

    ColumnProfile(String name) {
        this.name = name;
    }

    static boolean isNull(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        String v = value.strip();
        return v.length() <= 4
                && (v.equalsIgnoreCase("na") || v.equalsIgnoreCase("n/a") || v.equalsIgnoreCase("null"));
    }

    void observe(String value) {
        values++;
        if (isNull(value)) {
            nulls++;
            return;
        }
        String v = value.strip();
        if (allBoolean) {
            allBoolean = v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") || v.equalsIgnoreCase("yes")
                    || v.equalsIgnoreCase("no");
        }
        if (allDecimal) {
            observeNumber(v);
        }
        if (allDate) {
            allDate = isDate(v);
        }
        if (allTimestamp) {
            allTimestamp = TIMESTAMP.matcher(v).matches();
        }
        if (counts != null) {
            long[] count = counts.get(v);
            if (count != null) {
                count[0]++;
            } else if (counts.size() < MAX_TRACKED_DISTINCT) {
                counts.put(v, new long[] {1});
            } else {
                counts = null;
            }
        }
    }

    /**
     * Recognises {@code [-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d{1,3})?}; integers have no point, no
     * exponent and at most 18 digits. Short decimals are converted exactly without a parser.
     */
    private void observeNumber(String v) {
        int n = v.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (v.charAt(0) == '-' || v.charAt(0) == '+')) {
            negative = v.charAt(0) == '-';
            i = 1;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = 0;
        boolean point = false;
        for (; i < n; i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits < 18) {
                    mantissa = mantissa * 10 + (c - '0');
                }
                digits++;
                if (point) {
                    fraction++;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        boolean exponent = false;
        if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E') && digits > 0) {
            int j = i + 1;
            if (j < n && (v.charAt(j) == '-' || v.charAt(j) == '+')) {
                j++;
            }
            int expDigits = 0;
            while (j < n && v.charAt(j) >= '0' && v.charAt(j) <= '9') {
                j++;
                expDigits++;
            }
            if (expDigits >= 1 && expDigits <= 3) {
                exponent = true;
                i = j;
            }
        }
        if (i != n || digits == 0) {
            allInteger = false;
            allDecimal = false;
            return;
        }
        allInteger &= !point && !exponent && digits <= 18;
        double d;
        if (!exponent && digits <= 15) {
            d = mantissa / POWERS_OF_TEN[fraction];
            d = negative ? -d : d;
            long signed = negative ? -mantissa : mantissa;
            long total = scaledSums[fraction] + signed;
            if (((scaledSums[fraction] ^ total) & (signed ^ total)) < 0) {
                exactSum = exactSum.add(BigDecimal.valueOf(scaledSums[fraction], fraction));
                total = signed;
            }
            scaledSums[fraction] = total;
        } else {
            d = Double.parseDouble(v);
            exactSum = exactSum.add(new BigDecimal(v));
        }
        min = Math.min(min, d);
        max = Math.max(max, d);
        numbers++;
    }

    /** {@code yyyy-MM-dd} (the shape, as the schema reports it; the validator checks calendar dates). */
    private static boolean isDate(String v) {
        if (v.length() != 10 || v.charAt(4) != '-' || v.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (v.charAt(i) < '0' || v.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }

    /** Adds what {@code other} saw of the same column (profiles of parallel workers are merged at the end). */
    void merge(ColumnProfile other) {
        values += other.values;
        nulls += other.nulls;
        allBoolean &= other.allBoolean;
        allInteger &= other.allInteger;
        allDecimal &= other.allDecimal;
        allDate &= other.allDate;
        allTimestamp &= other.allTimestamp;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        exactSum = exactSum.add(other.sum());
        numbers += other.numbers;
        if (counts == null || other.counts == null) {
            counts = null;
            return;
        }
        for (Map.Entry<String, long[]> entry : other.counts.entrySet()) {
            counts.computeIfAbsent(entry.getKey(), k -> new long[1])[0] += entry.getValue()[0];
            if (counts.size() > MAX_TRACKED_DISTINCT) {
                counts = null;
                return;
            }
        }
    }

    /** The sum of every number seen, exactly: the mean does not depend on the order values arrived in. */
    private BigDecimal sum() {
        BigDecimal total = exactSum;
        for (int scale = 0; scale < scaledSums.length; scale++) {
            if (scaledSums[scale] != 0) {
                total = total.add(BigDecimal.valueOf(scaledSums[scale], scale));
            }
        }
        return total;
    }

    /**
     * The inferred schema. Of a {@code sensitive} column (one with a finding, even if kept) only the
     * type and counts are shown: no top values, and no minimum, maximum or mean, which would be
     * real values of it.
     */
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
        boolean numeric = !sensitive && (type.equals("integer") || type.equals("decimal"));
        List<ColumnSchema.TopValue> top = List.of();
        if (!sensitive && counts != null && (type.equals("categorical") || type.equals("boolean"))) {
            top = counts.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(10).map(e -> new ColumnSchema.TopValue(e.getKey(), e.getValue()[0])).toList();
        }
        return new ColumnSchema(name, type, nulls, numeric ? min : null, numeric ? max : null,
                numeric && numbers > 0 ? sum().divide(BigDecimal.valueOf(numbers), MathContext.DECIMAL64).doubleValue() : null, counts == null ? null : (long) counts.size(),
                top.isEmpty() ? null : top);
    }
}
