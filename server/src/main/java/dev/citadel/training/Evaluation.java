package dev.citadel.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;

/** Held-out metrics, computed by Tribuo's evaluators; undefined values (no support) become null. */
final class Evaluation {

    private Evaluation() {}

    static Map<String, Object> classification(Model<Label> model, Dataset<Label> test, List<String> labels) {
        LabelEvaluation e = new LabelEvaluator().evaluate(model, test);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("testRows", test.size());
        metrics.put("accuracy", number(e.accuracy()));
        Map<String, Object> macro = new LinkedHashMap<>();
        macro.put("precision", number(e.macroAveragedPrecision()));
        macro.put("recall", number(e.macroAveragedRecall()));
        macro.put("f1", number(e.macroAveragedF1()));
        metrics.put("macro", macro);
        Map<String, Object> perClass = new LinkedHashMap<>();
        List<List<Long>> matrix = new ArrayList<>();
        for (String truth : labels) {
            Label t = new Label(truth);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("precision", number(e.precision(t)));
            m.put("recall", number(e.recall(t)));
            m.put("f1", number(e.f1(t)));
            m.put("support", (long) (e.tp(t) + e.fn(t)));
            perClass.put(truth, m);
            List<Long> row = new ArrayList<>();
            for (String predicted : labels) {
                row.add((long) e.confusion(new Label(predicted), t));
            }
            matrix.add(row);
        }
        metrics.put("perClass", perClass);
        metrics.put("confusionMatrix", Map.of("labels", labels, "rowsAreTruth", true, "counts", matrix));
        if (labels.size() == 2) {
            String positive = positive(labels);
            metrics.put("rocAuc", number(safeAuc(e, new Label(positive))));
            metrics.put("positiveLabel", positive);
        }
        return metrics;
    }

    static Map<String, Object> regression(Model<Regressor> model, Dataset<Regressor> test, String target) {
        RegressionEvaluation e = new RegressionEvaluator().evaluate(model, test);
        Regressor dimension = new Regressor(target, Double.NaN);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("testRows", test.size());
        metrics.put("rmse", number(e.rmse(dimension)));
        metrics.put("mae", number(e.mae(dimension)));
        metrics.put("r2", number(e.r2(dimension)));
        return metrics;
    }

    /** The label a binary ROC AUC is reported for: true/yes/1/positive when present, else the second label. */
    static String positive(List<String> labels) {
        for (String candidate : List.of("true", "yes", "1", "positive", "y")) {
            for (String label : labels) {
                if (label.equalsIgnoreCase(candidate)) {
                    return label;
                }
            }
        }
        return labels.get(1);
    }

    private static double safeAuc(LabelEvaluation e, Label positive) {
        try {
            return e.AUCROC(positive);
        } catch (UnsupportedOperationException | IllegalArgumentException | IllegalStateException ex) {
            return Double.NaN;
        }
    }

    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
