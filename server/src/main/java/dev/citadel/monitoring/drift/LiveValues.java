package dev.citadel.monitoring.drift;

import java.util.Locale;
import java.util.Set;

import dev.citadel.registry.InputSchema;

/**
 * How drift reads a feature's value, the same way for a stored training cell and a live JSON value:
 * numbers as numbers, categories spelt as serving and training spell them (trimmed; 3 and 3.0 are
 * "3"; yes/true are "true").
 */
final class LiveValues {

    private static final Set<String> NUMERIC = Set.of("integer", "decimal");
    private static final int MAX_TEXT = 1000;

    private LiveValues() {}

    static boolean isNumeric(InputSchema.Feature feature) {
        return NUMERIC.contains(feature.type());
    }

    static boolean isBoolean(InputSchema.Feature feature) {
        return "boolean".equals(feature.type());
    }

    static boolean isCategorical(InputSchema.Feature feature) {
        return isBoolean(feature) || "categorical".equals(feature.type());
    }

    /** A live numeric value, or NaN when it is missing. */
    static double number(Object raw) {
        return raw instanceof Number number && Double.isFinite(number.doubleValue()) ? number.doubleValue() : Double.NaN;
    }

    /** A live or stored category, or null when it is missing. */
    static String category(Object raw, boolean bool) {
        String value = dev.citadel.deployments.runtime.InstanceEncoder.categoryText(raw);
        if (value == null) {
            return null;
        }
        if (bool) {
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.equals("yes") || lower.equals("true")) {
                return "true";
            }
            if (lower.equals("no") || lower.equals("false")) {
                return "false";
            }
        }
        return value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT) : value;
    }
}
