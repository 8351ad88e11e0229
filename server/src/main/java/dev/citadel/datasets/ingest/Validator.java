package dev.citadel.datasets.ingest;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every row against the dataset's expectations as it streams past, keeping only counts,
 * a few example line numbers, and for uniqueness a bounded set of 64-bit value hashes.
 */
final class Validator {

    static final int MAX_EXAMPLES = 5;
    static final int MAX_UNIQUE_TRACKED = 1 << 20;

    private static final Pattern DECIMAL_CHARACTERS = Pattern.compile("[-+]?[0-9.eE+-]+");
    private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no");

    private final Expectations expectations;
    private final List<Check> checks = new ArrayList<>();
    private final List<ValidationReport.Result> structural = new ArrayList<>();
    private long rows;

    Validator(Expectations expectations) {
        this.expectations = expectations;
    }

    void header(String[] names) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            index.putIfAbsent(names[i].strip(), i);
        }
        for (Expectations.Column c : expectations.columns()) {
            Integer column = index.get(c.column());
            if (column == null) {
                boolean required = c.present() == null || c.present();
                structural.add(new ValidationReport.Result(c.column(), "present", !required, required ? 1 : 0, List.of(),
                        required ? "the column is missing" : null));
                continue;
            }
            if (c.type() != null) {
                checks.add(new Check(c.column(), "type " + c.type(), column, v -> !ColumnProfile.isNull(v) && !hasType(v, c.type())));
            }
            if (Boolean.TRUE.equals(c.notNull())) {
                checks.add(new Check(c.column(), "not null", column, ColumnProfile::isNull));
            }
            if (c.min() != null || c.max() != null) {
                String label = "range " + (c.min() == null ? "-∞" : c.min()) + ".." + (c.max() == null ? "∞" : c.max());
                checks.add(new Check(c.column(), label, column, v -> !ColumnProfile.isNull(v) && outOfRange(v, c.min(), c.max())));
            }
            if (c.allowedValues() != null) {
                Set<String> allowed = Set.copyOf(c.allowedValues());
                checks.add(new Check(c.column(), "allowed values", column,
                        v -> !ColumnProfile.isNull(v) && !allowed.contains(v.strip())));
            }
            if (c.regex() != null) {
                Pattern pattern = Pattern.compile(c.regex());
                checks.add(new Check(c.column(), "regex", column, v -> !ColumnProfile.isNull(v) && !boundedMatch(pattern, v)));
            }
            if (Boolean.TRUE.equals(c.unique())) {
                checks.add(new UniqueCheck(c.column(), column));
            }
        }
    }

    void row(String[] fields, long line) {
        rows++;
        for (Check check : checks) {
            check.observe(fields[check.column], line);
        }
    }

    ValidationReport report() {
        List<ValidationReport.Result> results = new ArrayList<>(structural);
        for (Check check : checks) {
            results.add(check.result());
        }
        Expectations.RowCount bounds = expectations.rowCount();
        if (bounds != null) {
            boolean ok = (bounds.min() == null || rows >= bounds.min()) && (bounds.max() == null || rows <= bounds.max());
            results.add(new ValidationReport.Result(null, "row count " + (bounds.min() == null ? 0 : bounds.min()) + ".."
                    + (bounds.max() == null ? "∞" : bounds.max()), ok, ok ? 0 : 1, List.of(), ok ? null : rows + " rows"));
        }
        return new ValidationReport(results.stream().allMatch(ValidationReport.Result::passed), List.copyOf(results));
    }

    static boolean hasType(String value, String type) {
        String v = value.strip();
        try {
            return switch (type) {
                case "integer" -> isInteger(v);
                case "decimal" -> {
                    Double.parseDouble(v);
                    yield DECIMAL_CHARACTERS.matcher(v).matches();
                }
                case "boolean" -> BOOLEANS.contains(v.toLowerCase(Locale.ROOT));
                case "date" -> isIsoDate(v);
                case "timestamp" -> {
                    // with or without an offset, as schema inference recognises timestamps
                    String iso = v.replace(' ', 'T');
                    try {
                        OffsetDateTime.parse(iso);
                    } catch (DateTimeParseException withoutOffset) {
                        java.time.LocalDateTime.parse(iso);
                    }
                    yield true;
                }
                default -> true;
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return false;
        }
    }

    /** {@code [-+]?\d{1,18}} without a regular expression (runs on every value of a typed column). */
    static boolean isInteger(String v) {
        int start = !v.isEmpty() && (v.charAt(0) == '-' || v.charAt(0) == '+') ? 1 : 0;
        int digits = v.length() - start;
        if (digits < 1 || digits > 18) {
            return false;
        }
        for (int i = start; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A real calendar date written {@code yyyy-MM-dd}, as {@link LocalDate#parse} accepts it, without the parser. */
    static boolean isIsoDate(String v) {
        if (v.length() != 10 || v.charAt(4) != '-' || v.charAt(7) != '-' || !digits(v, 0, 4) || !digits(v, 5, 7)
                || !digits(v, 8, 10)) {
            try {
                LocalDate.parse(v);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        try {
            LocalDate.of(Integer.parseInt(v, 0, 4, 10), Integer.parseInt(v, 5, 7, 10), Integer.parseInt(v, 8, 10, 10));
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    private static boolean digits(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean outOfRange(String value, Double min, Double max) {
        try {
            double d = Double.parseDouble(value.strip());
            return (min != null && d < min) || (max != null && d > max);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** A regular expression match that gives up (as a failed match) instead of backtracking for ever. */
    static boolean boundedMatch(Pattern pattern, String value) {
        try {
            return pattern.matcher(new BoundedSequence(value, 10_000L + 100L * value.length())).matches();
        } catch (BoundedSequence.TooExpensive e) {
            return false;
        }
    }

    private static class Check {
        final String columnName;
        final String label;
        final int column;
        final java.util.function.Predicate<String> fails;
        long failures;
        final List<Long> examples = new ArrayList<>();

        Check(String columnName, String label, int column, java.util.function.Predicate<String> fails) {
            this.columnName = columnName;
            this.label = label;
            this.column = column;
            this.fails = fails;
        }

        void observe(String value, long line) {
            if (fails.test(value)) {
                failures++;
                if (examples.size() < MAX_EXAMPLES) {
                    examples.add(line);
                }
            }
        }

        ValidationReport.Result result() {
            return new ValidationReport.Result(columnName, label, failures == 0, failures, List.copyOf(examples), null);
        }
    }

    private static final class UniqueCheck extends Check {
        private LongSet seen = new LongSet();
        private boolean gaveUp;

        UniqueCheck(String columnName, int column) {
            super(columnName, "unique", column, v -> false);
        }

        @Override
        void observe(String value, long line) {
            if (seen == null || ColumnProfile.isNull(value)) {
                return;
            }
            if (!seen.add(fnv1a64(value.strip()))) {
                failures++;
                if (examples.size() < MAX_EXAMPLES) {
                    examples.add(line);
                }
            }
            if (seen.size() >= MAX_UNIQUE_TRACKED) {
                seen = null;
                gaveUp = true;
            }
        }

        @Override
        ValidationReport.Result result() {
            return new ValidationReport.Result(columnName, label, failures == 0, failures, List.copyOf(examples),
                    gaveUp ? "checked on the first " + MAX_UNIQUE_TRACKED + " distinct values only" : null);
        }

        private static long fnv1a64(String value) {
            long hash = 0xcbf29ce484222325L;
            for (int i = 0; i < value.length(); i++) {
                hash ^= value.charAt(i);
                hash *= 0x100000001b3L;
            }
            return hash;
        }
    }

    /** An open-addressing set of 64-bit hashes that grows by doubling, to 16 MiB at most; no boxing. */
    private static final class LongSet {
        private long[] table = new long[1024];
        private boolean hasZero;
        private int size;

        boolean add(long value) {
            if (value == 0) {
                boolean added = !hasZero;
                hasZero = true;
                size += added ? 1 : 0;
                return added;
            }
            if (size * 2 >= table.length) {
                grow();
            }
            boolean added = insert(table, value);
            size += added ? 1 : 0;
            return added;
        }

        private static boolean insert(long[] table, long value) {
            int mask = table.length - 1;
            int slot = (int) (value ^ (value >>> 32)) & mask;
            while (table[slot] != 0) {
                if (table[slot] == value) {
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = value;
            return true;
        }

        private void grow() {
            long[] bigger = new long[table.length * 2];
            for (long value : table) {
                if (value != 0) {
                    insert(bigger, value);
                }
            }
            table = bigger;
        }

        int size() {
            return size;
        }
    }

    /** A character sequence that stops a regex engine after a budget of character reads. */
    private static final class BoundedSequence implements CharSequence {
        private final String value;
        private final long budget;
        private long reads;

        BoundedSequence(String value, long budget) {
            this.value = value;
            this.budget = budget;
        }

        @Override
        public int length() {
            return value.length();
        }

        @Override
        public char charAt(int index) {
            if (++reads > budget) {
                throw new TooExpensive();
            }
            return value.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BoundedSequence(value.substring(start, end), budget - reads);
        }

        @Override
        public String toString() {
            return value;
        }

        static final class TooExpensive extends RuntimeException {
            TooExpensive() {
                super(null, null, false, false);
            }
        }
    }
}
