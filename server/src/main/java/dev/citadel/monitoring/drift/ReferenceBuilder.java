package dev.citadel.monitoring.drift;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.CsvRows;
import dev.citadel.datasets.ingest.RowSink;
import dev.citadel.registry.InputSchema;

/**
 * Summarises the monitored features of a stored dataset version in one streaming pass: per numeric
 * column a seeded reservoir of at most {@code referenceSample} values (exact below that) from which
 * the bin edges, bin proportions and KS quantiles are taken; per categorical column the count of
 * each category the model knows. Sensitive columns are not read. The samples live only while this
 * runs; what is kept is the {@link FeatureReference} summaries.
 */
final class ReferenceBuilder {

    /** Resolution of the KS reference CDF: quantiles at every 1/KS_QUANTILES. */
    static final int KS_QUANTILES = 100;
    private static final long SEED = 0x5EED_D81F7L;
    /** A categorical column the schema gives no categories for keeps at most this many distinct values. */
    private static final int MAX_DISTINCT = 10_000;

    private final List<Column> columns = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final int bins;
    private final int topCategories;
    private long rows;

    ReferenceBuilder(List<InputSchema.Feature> features, int bins, int topCategories, int referenceSample) {
        this.bins = bins;
        this.topCategories = topCategories;
        for (InputSchema.Feature feature : features) {
            if (Boolean.TRUE.equals(feature.sensitive())) {
                skipped.add(feature.name());
            } else if (LiveValues.isNumeric(feature)) {
                columns.add(new NumericColumn(feature.name(), feature.type(), referenceSample));
            } else if (LiveValues.isCategorical(feature)) {
                columns.add(new CategoricalColumn(feature.name(), feature.type(), feature.categories()));
            } else {
                skipped.add(feature.name());
            }
        }
    }

    List<String> skipped() {
        return skipped;
    }

    boolean monitorsAnything() {
        return !columns.isEmpty();
    }

    /** Reads the CSV (the dataset version's protected content) and returns the summaries in schema order. */
    List<FeatureReference> read(InputStream csv) {
        Map<String, Column> byName = new HashMap<>();
        columns.forEach(c -> byName.put(c.name, c));
        CsvRows.read(csv, 1 << 20, 100_000, new RowSink() {
            private Column[] byIndex;

            @Override
            public void header(String[] names) {
                byIndex = new Column[names.length];
                for (int i = 0; i < names.length; i++) {
                    byIndex[i] = byName.get(names[i].strip());
                }
                for (Column column : columns) {
                    if (!Arrays.asList(byIndex).contains(column)) {
                        throw new MissingColumn();
                    }
                }
            }

            @Override
            public void row(String[] fields, long line) {
                for (int i = 0; i < fields.length && i < byIndex.length; i++) {
                    if (byIndex[i] != null) {
                        byIndex[i].add(ColumnSchema.isNull(fields[i]) ? null : fields[i]);
                    }
                }
                rows++;
            }
        });
        return columns.stream().map(Column::summary).toList();
    }

    long rows() {
        return rows;
    }

    /** The stored version lacks a column the model takes: no reference can be made from it, ever. */
    static final class MissingColumn extends RuntimeException {
        MissingColumn() {
            super("the dataset version has no column the model was trained on", null, false, false);
        }
    }

    private abstract static class Column {
        final String name;
        final String type;

        Column(String name, String type) {
            this.name = name;
            this.type = type;
        }

        abstract void add(String cell);

        abstract FeatureReference summary();
    }

    private final class NumericColumn extends Column {
        private final Reservoir sample;
        private long values;
        private long missing;

        NumericColumn(String name, String type, int capacity) {
            super(name, type);
            this.sample = new Reservoir(capacity, new SplittableRandom(SEED ^ name.hashCode()));
        }

        @Override
        void add(String cell) {
            double value = Double.NaN;
            if (cell != null) {
                try {
                    value = Double.parseDouble(cell.strip());
                } catch (NumberFormatException e) {
                    value = Double.NaN;
                }
            }
            if (Double.isFinite(value)) {
                values++;
                sample.add(value);
            } else {
                missing++;
            }
        }

        @Override
        FeatureReference summary() {
            double[] sorted = sample.sorted();
            double[] edges = DriftStatistics.binEdges(sorted, bins);
            long[] counts = new long[edges.length + 1];
            for (double value : sorted) {
                counts[DriftStatistics.bin(edges, value)]++;
            }
            List<Double> proportions = new ArrayList<>();
            // the sample stands for every row with a value; missing rows are counted exactly
            double withValue = rows == 0 ? 0 : values / (double) rows;
            for (long count : counts) {
                proportions.add(sorted.length == 0 ? 0 : round(withValue * count / sorted.length));
            }
            proportions.add(rows == 0 ? 0 : round(missing / (double) rows));
            return new FeatureReference(name, FeatureReference.NUMERIC, type, boxed(edges), null, proportions,
                    boxed(DriftStatistics.quantiles(sorted, KS_QUANTILES)), values, missing);
        }
    }

    private final class CategoricalColumn extends Column {
        private final boolean bool;
        private final Map<String, long[]> counts = new LinkedHashMap<>();
        private final boolean closed;
        private long values;
        private long missing;

        CategoricalColumn(String name, String type, List<String> categories) {
            super(name, type);
            this.bool = "boolean".equals(type);
            List<String> known = categories != null ? categories : bool ? List.of("false", "true") : List.of();
            known.forEach(c -> counts.put(c, new long[1]));
            this.closed = !known.isEmpty();
        }

        @Override
        void add(String cell) {
            String value = cell == null ? null : LiveValues.category(cell, bool);
            if (value == null) {
                missing++;
                return;
            }
            values++;
            long[] count = counts.get(value);
            if (count == null && !closed && counts.size() < MAX_DISTINCT) {
                count = new long[1];
                counts.put(value, count);
            }
            if (count != null) {
                count[0]++;
            }
        }

        @Override
        FeatureReference summary() {
            List<String> top = counts.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                            .thenComparing(Map.Entry::getKey))
                    .limit(topCategories).map(Map.Entry::getKey).sorted().toList();
            List<Double> proportions = new ArrayList<>();
            long kept = 0;
            for (String category : top) {
                long count = counts.get(category)[0];
                kept += count;
                proportions.add(rows == 0 ? 0 : round(count / (double) rows));
            }
            proportions.add(rows == 0 ? 0 : round((values - kept) / (double) rows));
            proportions.add(rows == 0 ? 0 : round(missing / (double) rows));
            return new FeatureReference(name, FeatureReference.CATEGORICAL, type, null, top, proportions, null, values, missing);
        }
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** Proportions to 6 decimals: finer than any threshold, and the stored summary stays short. */
    static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
