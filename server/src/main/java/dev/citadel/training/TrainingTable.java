package dev.citadel.training;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.CsvRows;
import dev.citadel.datasets.ingest.RowSink;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * The columns a training job needs, read from a version's stored CSV in one streaming pass into
 * compact typed arrays: numbers as doubles (NaN when missing), categories and booleans as codes
 * into a per-column dictionary (-1 when missing). Nothing else of the file is kept.
 */
final class TrainingTable {

    /** Column types a model can take as features. */
    static final List<String> FEATURE_TYPES = List.of("integer", "decimal", "boolean", "categorical");

    private final Map<String, Column> columns;
    private final int rows;

    private TrainingTable(Map<String, Column> columns, int rows) {
        this.columns = columns;
        this.rows = rows;
    }

    int rows() {
        return rows;
    }

    Column column(String name) {
        return columns.get(name);
    }

    /** One loaded column. */
    abstract static sealed class Column permits Numeric, Categorical {
        final String name;
        final String type;

        Column(String name, String type) {
            this.name = name;
            this.type = type;
        }

        abstract void add(String cell);

        abstract boolean missing(int row);
    }

    static final class Numeric extends Column {
        double[] values = new double[1024];
        int size;

        Numeric(String name, String type) {
            super(name, type);
        }

        @Override
        void add(String cell) {
            double value = Double.NaN;
            if (!ColumnSchema.isNull(cell)) {
                try {
                    value = Double.parseDouble(cell.strip());
                } catch (NumberFormatException e) {
                    value = Double.NaN;
                }
                if (!Double.isFinite(value)) {
                    value = Double.NaN;
                }
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        @Override
        boolean missing(int row) {
            return Double.isNaN(values[row]);
        }
    }

    static final class Categorical extends Column {
        int[] codes = new int[1024];
        int size;
        final List<String> dictionary = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();

        Categorical(String name, String type) {
            super(name, type);
        }

        @Override
        void add(String cell) {
            int code = -1;
            if (!ColumnSchema.isNull(cell)) {
                String value = normalise(cell, type);
                Integer existing = index.get(value);
                if (existing == null) {
                    existing = dictionary.size();
                    dictionary.add(value);
                    index.put(value, existing);
                }
                code = existing;
            }
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, size * 2);
            }
            codes[size++] = code;
        }

        @Override
        boolean missing(int row) {
            return codes[row] < 0;
        }

        String value(int row) {
            return codes[row] < 0 ? null : dictionary.get(codes[row]);
        }
    }

    /** Booleans in one spelling (true/false), other categories as stored, trimmed. */
    static String normalise(String cell, String type) {
        String value = cell.strip();
        if (type.equals("boolean")) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.equals("yes") || lower.equals("true")) {
                return "true";
            }
            if (lower.equals("no") || lower.equals("false")) {
                return "false";
            }
        }
        return value;
    }

    /**
     * Reads {@code wanted} (column name → stored type) from {@code content}. A target column given as
     * categorical is read as categories whatever its stored type (a classifier's labels).
     */
    static TrainingTable load(InputStream content, Map<String, String> wanted, long expectedRows, LongConsumer progress) {
        Map<String, Column> columns = new LinkedHashMap<>();
        wanted.forEach((name, type) -> columns.put(name, type.equals("integer") || type.equals("decimal")
                ? new Numeric(name, type) : new Categorical(name, type)));
        int[] rows = {0};
        CsvRows.read(content, 1 << 20, 100_000, new RowSink() {
            private Column[] byIndex;

            @Override
            public void header(String[] names) {
                byIndex = new Column[names.length];
                for (int i = 0; i < names.length; i++) {
                    byIndex[i] = columns.get(names[i].strip());
                }
                for (Column column : columns.values()) {
                    if (!Arrays.asList(byIndex).contains(column)) {
                        throw new CitadelException(ErrorCode.TRAINING_FAILED,
                                "The stored dataset version has no column " + column.name + ".");
                    }
                }
            }

            @Override
            public void row(String[] fields, long line) {
                if (rows[0] == Integer.MAX_VALUE - 8) {
                    throw new CitadelException(ErrorCode.TRAINING_FAILED, "The dataset version has too many rows to train on.");
                }
                for (int i = 0; i < fields.length; i++) {
                    if (byIndex[i] != null) {
                        byIndex[i].add(fields[i]);
                    }
                }
                rows[0]++;
                if ((rows[0] & 0xFFFF) == 0) {
                    progress.accept(rows[0]);
                }
            }
        });
        return new TrainingTable(columns, rows[0]);
    }
}
