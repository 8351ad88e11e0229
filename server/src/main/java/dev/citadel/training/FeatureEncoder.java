package dev.citadel.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

import dev.citadel.registry.InputSchema;

/**
 * Turns table rows into model inputs, with statistics taken from the training rows only: missing
 * numbers become the training mean, linear models see numbers standardised with the training mean
 * and standard deviation, and categories (at most {@value #MAX_CATEGORIES} per column, the most
 * frequent) are one-hot encoded as {@code column=value}. The same encoding is recorded in the input
 * schema so serving reproduces it exactly.
 */
final class FeatureEncoder {

    static final int MAX_CATEGORIES = 100;

    private final List<Encoded> features;
    private final boolean standardise;
    private final java.util.Set<String> sensitiveColumns;

    private record Encoded(TrainingTable.Column column, double mean, double std, String[] oneHotNames,
            String transform, double low, double high, List<String> declared) {

        Encoded(TrainingTable.Column column, double mean, double std, String[] oneHotNames, String transform) {
            this(column, mean, std, oneHotNames, transform, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, null);
        }
    }

    private FeatureEncoder(List<Encoded> features, boolean standardise, java.util.Set<String> sensitiveColumns) {
        this.features = features;
        this.standardise = standardise;
        this.sensitiveColumns = sensitiveColumns;
    }

    /**
     * Fits the encoding on {@code trainRows}.
     *
     * @param transforms the privacy transform of each protected feature column
     * @param sensitive  every feature column with a sensitive-data finding (protected or kept)
     */
    static FeatureEncoder fit(TrainingTable table, List<String> featureNames, int[] trainRows, boolean standardise,
            Map<String, String> transforms, java.util.Set<String> sensitive) {
        List<Encoded> encoded = new ArrayList<>();
        for (String name : featureNames) {
            TrainingTable.Column column = table.column(name);
            if (column instanceof TrainingTable.Numeric numeric) {
                double sum = 0;
                long n = 0;
                for (int row : trainRows) {
                    double v = numeric.values[row];
                    if (!Double.isNaN(v)) {
                        sum += v;
                        n++;
                    }
                }
                double mean = n == 0 ? 0 : sum / n;
                double squares = 0;
                for (int row : trainRows) {
                    double v = numeric.values[row];
                    if (!Double.isNaN(v)) {
                        squares += (v - mean) * (v - mean);
                    }
                }
                double std = n < 2 ? 1 : Math.sqrt(squares / (n - 1));
                encoded.add(new Encoded(column, mean, std > 0 && Double.isFinite(std) ? std : 1, null,
                        transforms.get(name)));
            } else {
                TrainingTable.Categorical categorical = (TrainingTable.Categorical) column;
                long[] counts = new long[categorical.dictionary.size()];
                for (int row : trainRows) {
                    int code = categorical.codes[row];
                    if (code >= 0) {
                        counts[code]++;
                    }
                }
                List<Integer> kept = new ArrayList<>();
                for (int code = 0; code < counts.length; code++) {
                    if (counts[code] > 0) {
                        kept.add(code);
                    }
                }
                kept.sort(Comparator.<Integer>comparingLong(code -> -counts[code])
                        .thenComparing(code -> categorical.dictionary.get(code)));
                String[] names = new String[counts.length];
                for (int i = 0; i < Math.min(kept.size(), MAX_CATEGORIES); i++) {
                    names[kept.get(i)] = name + "=" + categorical.dictionary.get(kept.get(i));
                }
                encoded.add(new Encoded(column, Double.NaN, Double.NaN, names, transforms.get(name)));
            }
        }
        return new FeatureEncoder(encoded, standardise, java.util.Set.copyOf(sensitive));
    }

    /**
     * An encoding that looks at no data, for differentially private training: a numeric value is
     * clipped to its declared [low, high] and mapped onto [−1, 1] (missing: the midpoint), recorded
     * as mean = midpoint and std = half the range so serving reproduces it; a categorical column is
     * one-hot over its declared categories only (a boolean's are false and true).
     */
    static FeatureEncoder declared(TrainingTable table, List<String> featureNames, Map<String, List<Double>> bounds,
            Map<String, List<String>> categories, Map<String, String> transforms, java.util.Set<String> sensitive) {
        List<Encoded> encoded = new ArrayList<>();
        for (String name : featureNames) {
            TrainingTable.Column column = table.column(name);
            if (column instanceof TrainingTable.Numeric) {
                double low = bounds.get(name).get(0);
                double high = bounds.get(name).get(1);
                encoded.add(new Encoded(column, low + (high - low) / 2, (high - low) / 2, null, transforms.get(name), low,
                        high, null));
            } else {
                TrainingTable.Categorical categorical = (TrainingTable.Categorical) column;
                List<String> declared = column.type.equals("boolean") ? List.of("false", "true")
                        : categories.get(name).stream().distinct().sorted().toList();
                String[] names = new String[categorical.dictionary.size()];
                for (int code = 0; code < names.length; code++) {
                    if (declared.contains(categorical.dictionary.get(code))) {
                        names[code] = name + "=" + categorical.dictionary.get(code);
                    }
                }
                encoded.add(new Encoded(column, Double.NaN, Double.NaN, names, transforms.get(name),
                        Double.NaN, Double.NaN, declared));
            }
        }
        return new FeatureEncoder(encoded, true, java.util.Set.copyOf(sensitive));
    }

    /** Every model input name this encoding can produce, data-independent for {@link #declared}. */
    List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (Encoded feature : features) {
            if (feature.declared() != null) {
                feature.declared().forEach(category -> names.add(feature.column().name + "=" + category));
            } else if (feature.oneHotNames() == null) {
                names.add(feature.column().name);
            } else {
                java.util.Arrays.stream(feature.oneHotNames()).filter(java.util.Objects::nonNull).forEach(names::add);
            }
        }
        return names;
    }

    /** One row as a Tribuo example with {@code output}. */
    <T extends Output<T>> ArrayExample<T> encode(int row, T output) {
        String[] names = new String[features.size()];
        double[] values = new double[features.size()];
        int n = 0;
        for (Encoded feature : features) {
            if (feature.oneHotNames() == null) {
                double v = ((TrainingTable.Numeric) feature.column()).values[row];
                if (Double.isNaN(v)) {
                    v = feature.mean();
                }
                v = Math.min(feature.high(), Math.max(feature.low(), v));
                names[n] = feature.column().name;
                values[n++] = standardise ? (v - feature.mean()) / feature.std() : v;
            } else {
                int code = ((TrainingTable.Categorical) feature.column()).codes[row];
                String name = code < 0 ? null : feature.oneHotNames()[code];
                if (name != null) {
                    names[n] = name;
                    values[n++] = 1.0;
                }
            }
        }
        if (n == 0) {
            // Tribuo refuses examples without features; a row with every category unseen or missing
            // is all zeros, which an explicit zero on the first feature's slot says just as well
            names[0] = features.get(0).oneHotNames() == null ? features.get(0).column().name
                    : java.util.Arrays.stream(features.get(0).oneHotNames()).filter(java.util.Objects::nonNull).findFirst()
                            .orElse(features.get(0).column().name);
            values[0] = 0;
            n = 1;
        }
        return new ArrayExample<>(output, java.util.Arrays.copyOf(names, n), java.util.Arrays.copyOf(values, n));
    }

    private boolean sensitiveColumns(String name) {
        return sensitiveColumns.contains(name);
    }

    private Boolean sensitive(Encoded feature) {
        return sensitiveColumns(feature.column().name) ? Boolean.TRUE : null;
    }

    /** The input schema serving validates against and reproduces this encoding from. */
    List<InputSchema.Feature> schema() {
        List<InputSchema.Feature> schema = new ArrayList<>();
        for (Encoded feature : features) {
            if (feature.oneHotNames() == null) {
                schema.add(new InputSchema.Feature(feature.column().name, feature.column().type, null, feature.mean(),
                        feature.std(), standardise, feature.transform(), null, sensitive(feature)));
            } else if (feature.declared() != null) {
                schema.add(new InputSchema.Feature(feature.column().name, feature.column().type, feature.declared(), null,
                        null, null, feature.transform(), null, sensitive(feature)));
            } else {
                List<String> categories = new ArrayList<>();
                TrainingTable.Categorical column = (TrainingTable.Categorical) feature.column();
                for (int code = 0; code < feature.oneHotNames().length; code++) {
                    if (feature.oneHotNames()[code] != null) {
                        categories.add(column.dictionary.get(code));
                    }
                }
                categories.sort(null);
                schema.add(new InputSchema.Feature(column.name, column.type, categories, null, null, null,
                        feature.transform(), null, sensitive(feature)));
            }
        }
        return schema;
    }
}
