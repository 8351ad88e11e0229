package dev.citadel.deployments.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.privacy.Protections;
import dev.citadel.privacy.SensitiveKind;
import dev.citadel.privacy.Tokenizer;
import dev.citadel.registry.InputSchema;
import dev.citadel.registry.ModelManifest;

/**
 * Validates instances against a model's input schema and encodes them exactly as training did:
 * the recorded privacy transform first (tokenize, mask, generalize), then missing numbers become
 * the training mean, numbers are standardised when the model was trained on standardised numbers,
 * and categories become their one-hot slot. Every problem names the instance and the field.
 */
public final class InstanceEncoder {

    /** What to do with a category the model never saw. */
    public enum UnknownCategories { REJECT, IGNORE }

    private static final int MAX_TEXT = 1000;
    private static final Set<String> NUMERIC = Set.of("integer", "decimal");

    private final List<InputSchema.Feature> features;
    private final Map<String, InputSchema.Feature> byName = new HashMap<>();
    private final Map<String, Integer> slots = new HashMap<>();
    private final Map<String, UnaryOperator<String>> transforms = new HashMap<>();
    private final Map<String, Set<String>> categories = new HashMap<>();
    private final int width;
    private final String fallbackName;
    private final UnknownCategories unknown;

    private InstanceEncoder(InputSchema schema, List<ModelManifest.Transform> transforms, Tokenizer.Tokens tokens,
            UnknownCategories unknown) {
        this.features = schema.features();
        this.unknown = unknown;
        List<String> vector = schema.vector();
        for (int i = 0; i < vector.size(); i++) {
            slots.put(vector.get(i), i);
        }
        this.width = vector.size();
        this.fallbackName = vector.isEmpty() ? null : vector.get(0);
        for (InputSchema.Feature feature : features) {
            byName.put(feature.name(), feature);
            if (feature.categories() != null) {
                categories.put(feature.name(), new HashSet<>(feature.categories()));
            }
        }
        for (ModelManifest.Transform transform : transforms == null ? List.<ModelManifest.Transform>of() : transforms) {
            SensitiveKind kind = kindOf(transform.kind());
            UnaryOperator<String> operator = switch (transform.action()) {
                case "tokenize" -> tokens::tokenize;
                case "mask" -> value -> Protections.mask(value, kind);
                case "generalize" -> Protections::generalize;
                default -> UnaryOperator.identity();
            };
            this.transforms.put(transform.column(), operator);
        }
    }

    /**
     * An encoder for a model, or an explanation of why serving cannot feed it: trained models always
     * qualify; an imported one needs one 2-D input whose columns its schema names as numbers.
     */
    public static InstanceEncoder forModel(ModelManifest manifest, Tokenizer.Tokens tokens, UnknownCategories unknown) {
        return new InstanceEncoder(servable(manifest), manifest.transforms(), tokens, unknown);
    }

    /**
     * An encoder for rows of a stored dataset version, for evaluation: their protections were applied
     * at ingestion (a tokenized column already holds tokens), so the recorded transforms are not
     * applied again; categories the model never saw are ignored, as training encoded them.
     */
    static InstanceEncoder forStoredRows(ModelManifest manifest) {
        return new InstanceEncoder(servable(manifest), List.of(), null, UnknownCategories.IGNORE);
    }

    private static InputSchema servable(ModelManifest manifest) {
        InputSchema schema = manifest.inputSchema();
        if (schema == null || schema.vector() == null || schema.features() == null || schema.features().isEmpty()) {
            throw new IllegalArgumentException("serving needs an input schema naming the columns of the model's one "
                    + "2-D input; import the model with a schema");
        }
        for (InputSchema.Feature feature : schema.features()) {
            boolean numeric = NUMERIC.contains(feature.type()) || feature.type().equals("boolean");
            if (!numeric && !(feature.type().equals("categorical") && feature.categories() != null)) {
                throw new IllegalArgumentException("feature " + feature.name() + " is " + feature.type()
                        + "; serving feeds imported models numbers and booleans only");
            }
        }
        return schema;
    }

    /** Encodes one instance; problems are added with the field path {@code instances[i].feature}. */
    public EncodedInstance encode(Map<String, Object> instance, int index, List<CitadelException.FieldProblem> problems) {
        String prefix = "instances[" + index + "]";
        if (instance == null) {
            problems.add(new CitadelException.FieldProblem(prefix, "must be an object of feature values"));
            return null;
        }
        int before = problems.size();
        for (String key : instance.keySet()) {
            if (!byName.containsKey(key)) {
                problems.add(new CitadelException.FieldProblem(prefix + "." + clip(key), "unknown feature"));
            }
        }
        List<String> names = new ArrayList<>(features.size());
        List<Double> values = new ArrayList<>(features.size());
        float[] dense = new float[width];
        for (InputSchema.Feature feature : features) {
            String field = prefix + "." + feature.name();
            if (!instance.containsKey(feature.name())) {
                problems.add(new CitadelException.FieldProblem(field, "missing (send null for an unknown value)"));
                continue;
            }
            Object raw = instance.get(feature.name());
            if (NUMERIC.contains(feature.type())) {
                double value;
                if (raw == null) {
                    value = feature.mean() == null ? 0 : feature.mean();
                } else if (raw instanceof Number number && Double.isFinite(number.doubleValue())) {
                    value = number.doubleValue();
                } else {
                    problems.add(new CitadelException.FieldProblem(field, "must be a number or null"));
                    continue;
                }
                if (Boolean.TRUE.equals(feature.standardized()) && feature.mean() != null && feature.std() != null) {
                    value = (value - feature.mean()) / feature.std();
                }
                put(feature.name(), value, names, values, dense);
            } else if (feature.categories() == null) {
                Boolean flag = bool(raw);
                if (raw != null && flag == null) {
                    problems.add(new CitadelException.FieldProblem(field, "must be true, false or null"));
                    continue;
                }
                put(feature.name(), flag != null && flag ? 1 : 0, names, values, dense);
            } else {
                String category = category(feature, raw, field, problems);
                if (category == null) {
                    continue;
                }
                if (!categories.get(feature.name()).contains(category)) {
                    if (unknown == UnknownCategories.REJECT) {
                        problems.add(new CitadelException.FieldProblem(field, "a category the model was not trained on"));
                    }
                    continue;
                }
                put(feature.name() + "=" + category, 1, names, values, dense);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        if (names.isEmpty() && fallbackName != null) {
            names.add(fallbackName);
            values.add(0.0);
        }
        double[] valueArray = new double[values.size()];
        for (int i = 0; i < valueArray.length; i++) {
            valueArray[i] = values.get(i);
        }
        return new EncodedInstance(names.toArray(String[]::new), valueArray, dense);
    }

    /**
     * A JSON value as the category text it stands for, as stored at training: a string stripped, a
     * whole number without its fraction (3 and 3.0 are the category "3"), a boolean as
     * {@code true}/{@code false}; null for anything else (and for null).
     */
    public static String categoryText(Object raw) {
        if (raw instanceof String text) {
            return text.strip();
        }
        if (raw instanceof Number number) {
            double d = number.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.valueOf(raw);
        }
        return raw instanceof Boolean ? String.valueOf(raw) : null;
    }

    private String category(InputSchema.Feature feature, Object raw, String field,
            List<CitadelException.FieldProblem> problems) {
        if (raw == null) {
            return null;
        }
        String value = categoryText(raw);
        if (value == null) {
            problems.add(new CitadelException.FieldProblem(field, "must be a string, number, boolean or null"));
            return null;
        }
        if (value.length() > MAX_TEXT) {
            problems.add(new CitadelException.FieldProblem(field, "at most " + MAX_TEXT + " characters"));
            return null;
        }
        if (feature.type().equals("boolean")) {
            Boolean flag = bool(raw);
            if (flag == null) {
                problems.add(new CitadelException.FieldProblem(field, "must be true, false or null"));
                return null;
            }
            value = flag.toString();
        }
        UnaryOperator<String> transform = transforms.get(feature.name());
        return transform == null ? value : transform.apply(value);
    }

    private void put(String name, double value, List<String> names, List<Double> values, float[] dense) {
        Integer slot = slots.get(name);
        if (slot != null) {
            dense[slot] = (float) value;
        }
        names.add(name);
        values.add(value);
    }

    private static Boolean bool(Object raw) {
        if (raw instanceof Boolean flag) {
            return flag;
        }
        if (raw instanceof String text) {
            String v = text.strip().toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("yes")) {
                return true;
            }
            if (v.equals("false") || v.equals("no")) {
                return false;
            }
        }
        return null;
    }

    private static SensitiveKind kindOf(String wireName) {
        for (SensitiveKind kind : SensitiveKind.values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        return SensitiveKind.PERSON_NAME;
    }

    private static String clip(String key) {
        String safe = key == null ? "(null)" : key.replaceAll("\\p{Cntrl}", "?");
        return safe.length() > 64 ? safe.substring(0, 61) + "..." : safe;
    }
}
