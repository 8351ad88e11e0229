package dev.citadel.monitoring.drift;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference compiled for the prediction path: per monitored feature the bin edges as an array and
 * the category → bin map, so that classifying a live value is a binary search or one lookup.
 */
final class Monitored {

    /** One monitored feature. */
    static final class Feature {
        final FeatureReference reference;
        final String name;
        final boolean numeric;
        final boolean bool;
        final double[] edges;
        final double[] quantiles;
        final double[] proportions;
        final Map<String, Integer> categories;
        /** The number of bins including "other" (categorical) and "missing", which is last. */
        final int width;

        Feature(FeatureReference reference) {
            this.reference = reference;
            this.name = reference.name();
            this.numeric = reference.numeric();
            this.bool = reference.bool();
            this.edges = numeric ? array(reference.edges()) : null;
            this.quantiles = numeric ? array(reference.quantiles()) : null;
            this.proportions = array(reference.proportions());
            Map<String, Integer> index = new HashMap<>();
            if (!numeric) {
                for (int i = 0; i < reference.categories().size(); i++) {
                    index.put(reference.categories().get(i), i);
                }
            }
            this.categories = index;
            this.width = proportions.length;
        }

        int missingBin() {
            return width - 1;
        }

        int otherBin() {
            return width - 2;
        }
    }

    private final Reference reference;
    private final Feature[] features;

    Monitored(Reference reference) {
        this.reference = reference;
        this.features = reference.features().stream().map(Feature::new).toArray(Feature[]::new);
    }

    Reference reference() {
        return reference;
    }

    Feature[] features() {
        return features;
    }

    private static double[] array(List<Double> values) {
        double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
