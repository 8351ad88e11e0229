package dev.citadel.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.xgboost.XGBoostTrainer;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.regression.xgboost.XGBoostRegressionTrainer;

import dev.citadel.platform.errors.CitadelException;

/**
 * The algorithms a training job can ask for, their parameters with defaults and bounds, and the
 * Tribuo trainer each becomes (ADR 0018). Logistic regression is AdaGrad with iterate averaging
 * ({@link IterateAveraging}); linear regression is plain AdaGrad. Linear models are exported as
 * ONNX; gradient-boosted trees in Tribuo's protobuf format.
 */
public enum Algorithm {
    LOGISTIC_REGRESSION("logistic-regression", Set.of(Task.CLASSIFICATION), true, List.of(
            new Param("epochs", 1, 500, 2, true),
            new Param("learningRate", 1e-6, 10, 1.0, false),
            new Param("minibatchSize", 1, 100_000, 1, true))),
    LINEAR_REGRESSION("linear-regression", Set.of(Task.REGRESSION), true, List.of(
            new Param("epochs", 1, 500, 5, true),
            new Param("learningRate", 1e-6, 10, 1.0, false),
            new Param("minibatchSize", 1, 100_000, 1, true))),
    GRADIENT_BOOSTED_TREES("gradient-boosted-trees", Set.of(Task.CLASSIFICATION, Task.REGRESSION), false, List.of(
            new Param("trees", 1, 2000, 100, true),
            new Param("maxDepth", 1, 16, 6, true),
            new Param("learningRate", 1e-6, 1, 0.3, false),
            new Param("minChildWeight", 0, 1e6, 1, false),
            new Param("subsample", 1e-6, 1, 1, false),
            new Param("featureSubsample", 1e-6, 1, 1, false),
            new Param("lambda", 0, 1e6, 1, false),
            new Param("alpha", 0, 1e6, 0, false),
            new Param("gamma", 0, 1e6, 0, false)));

    /** One numeric parameter: name, inclusive bounds, default, whether it must be whole. */
    record Param(String name, double min, double max, double defaultValue, boolean integer) {}

    private final String wireName;
    private final Set<Task> tasks;
    private final boolean linear;
    private final List<Param> params;

    Algorithm(String wireName, Set<Task> tasks, boolean linear, List<Param> params) {
        this.wireName = wireName;
        this.tasks = tasks;
        this.linear = linear;
        this.params = params;
    }

    public String wireName() {
        return wireName;
    }

    boolean supports(Task task) {
        return tasks.contains(task);
    }

    /** Linear models see standardised numbers and are exported as ONNX. */
    boolean linear() {
        return linear;
    }

    static Optional<Algorithm> fromWireName(String name) {
        for (Algorithm algorithm : values()) {
            if (algorithm.wireName.equals(name)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    static String names() {
        List<String> names = new ArrayList<>();
        for (Algorithm algorithm : values()) {
            names.add(algorithm.wireName);
        }
        return String.join(", ", names);
    }

    /**
     * The effective parameters: the request's, checked against the bounds, plus every default.
     * Problems are collected into {@code problems} with the field path {@code params.<name>}.
     */
    Map<String, Number> resolve(Map<String, Object> requested, List<CitadelException.FieldProblem> problems) {
        Map<String, Number> effective = new LinkedHashMap<>();
        Map<String, Param> known = new TreeMap<>();
        params.forEach(p -> known.put(p.name(), p));
        (requested == null ? Map.<String, Object>of() : requested).forEach((name, value) -> {
            Param param = known.get(name);
            if (param == null) {
                problems.add(new CitadelException.FieldProblem("params." + clip(name),
                        "unknown parameter for " + wireName + "; known: " + String.join(", ", known.keySet())));
            } else if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                problems.add(new CitadelException.FieldProblem("params." + name, "must be a number"));
            } else if (number.doubleValue() < param.min() || number.doubleValue() > param.max()) {
                problems.add(new CitadelException.FieldProblem("params." + name,
                        "must be between " + format(param.min()) + " and " + format(param.max())));
            } else if (param.integer() && number.doubleValue() != Math.rint(number.doubleValue())) {
                problems.add(new CitadelException.FieldProblem("params." + name, "must be a whole number"));
            }
        });
        for (Param param : params) {
            Object value = requested == null ? null : requested.get(param.name());
            double chosen = value instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : param.defaultValue();
            effective.put(param.name(), param.integer() ? (Number) Math.round(chosen) : (Number) chosen);
        }
        return effective;
    }

    Trainer<Label> classificationTrainer(Map<String, Number> p, long seed, int threads) {
        return switch (this) {
            // averaged AdaGrad: the mean of the iterates reaches scikit-learn's L-BFGS optimum in one or two
            // epochs, where the last iterate of 5 epochs of plain AdaGrad stopped short (docs/benchmarks.md, issue 6)
            case LOGISTIC_REGRESSION -> new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(),
                    new IterateAveraging(new AdaGrad(p.get("learningRate").doubleValue(), 0.1)), p.get("epochs").intValue(),
                    Integer.MAX_VALUE, p.get("minibatchSize").intValue(), seed);
            case GRADIENT_BOOSTED_TREES -> new XGBoostClassificationTrainer(XGBoostTrainer.BoosterType.GBTREE,
                    XGBoostTrainer.TreeMethod.HIST, p.get("trees").intValue(), p.get("learningRate").doubleValue(), p.get("gamma").doubleValue(),
                    p.get("maxDepth").intValue(), p.get("minChildWeight").doubleValue(), p.get("subsample").doubleValue(), p.get("featureSubsample").doubleValue(),
                    p.get("lambda").doubleValue(), p.get("alpha").doubleValue(), threads, XGBoostTrainer.LoggingVerbosity.SILENT, seed);
            case LINEAR_REGRESSION -> throw new IllegalArgumentException("not a classifier");
        };
    }

    Trainer<Regressor> regressionTrainer(Map<String, Number> p, long seed, int threads) {
        return switch (this) {
            case LINEAR_REGRESSION -> new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(),
                    new AdaGrad(p.get("learningRate").doubleValue(), 0.1), p.get("epochs").intValue(), Integer.MAX_VALUE,
                    p.get("minibatchSize").intValue(), seed);
            case GRADIENT_BOOSTED_TREES -> new XGBoostRegressionTrainer(XGBoostTrainer.BoosterType.GBTREE,
                    XGBoostTrainer.TreeMethod.HIST, XGBoostRegressionTrainer.RegressionType.LINEAR,
                    p.get("trees").intValue(), p.get("learningRate").doubleValue(), p.get("gamma").doubleValue(), p.get("maxDepth").intValue(),
                    p.get("minChildWeight").doubleValue(), p.get("subsample").doubleValue(), p.get("featureSubsample").doubleValue(), p.get("lambda").doubleValue(),
                    p.get("alpha").doubleValue(), threads, XGBoostTrainer.LoggingVerbosity.SILENT, seed);
            case LOGISTIC_REGRESSION -> throw new IllegalArgumentException("not a regressor");
        };
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String clip(String name) {
        String safe = name == null ? "" : name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return safe.length() > 40 ? safe.substring(0, 40) : safe;
    }
}
