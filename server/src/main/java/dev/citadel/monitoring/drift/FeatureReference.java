package dev.citadel.monitoring.drift;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One feature's training distribution as drift keeps it: summaries of a non-sensitive column, never
 * its rows (ADR 0026).
 *
 * @param kind        {@code numeric} or {@code categorical}
 * @param type        the input schema's type (integer, decimal, boolean, categorical)
 * @param edges       numeric: the interior bin edges, bins being (−∞, e₀], (e₀, e₁], …, (eₗₐₛₜ, ∞)
 * @param categories  categorical: the most frequent categories, in bin order
 * @param proportions the reference's share of rows per bin: the numeric bins or the categories then
 *                    "other", and last "missing"
 * @param quantiles   numeric: the quantiles at p = 0, 1/100, …, 1, from which the KS test rebuilds
 *                    the reference CDF
 * @param values      rows with a value
 * @param missing     rows without one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureReference(String name, String kind, String type, List<Double> edges, List<String> categories,
        List<Double> proportions, List<Double> quantiles, long values, long missing) {

    public static final String NUMERIC = "numeric";
    public static final String CATEGORICAL = "categorical";

    boolean numeric() {
        return NUMERIC.equals(kind);
    }

    boolean bool() {
        return "boolean".equals(type);
    }

    /** Human labels of the bins, in the order of {@link #proportions}. */
    public List<String> bins() {
        List<String> labels = new java.util.ArrayList<>();
        if (numeric()) {
            if (edges.isEmpty()) {
                labels.add("any");
            } else {
                labels.add("<= " + number(edges.get(0)));
                for (int i = 1; i < edges.size(); i++) {
                    labels.add("(" + number(edges.get(i - 1)) + ", " + number(edges.get(i)) + "]");
                }
                labels.add("> " + number(edges.get(edges.size() - 1)));
            }
        } else {
            labels.addAll(categories);
            labels.add("other");
        }
        labels.add("missing");
        return labels;
    }

    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
