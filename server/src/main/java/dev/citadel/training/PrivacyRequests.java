package dev.citadel.training;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.platform.errors.CitadelException;

/**
 * Checks the {@code privacy} part of a training request at the boundary: the algorithm can be
 * trained with DP-SGD, ε, δ, the clipping norm and the batch size are in range, every numeric
 * feature (and a regression target) has declared bounds and every categorical feature declared
 * categories, and the accountant can bound the settings for the dataset version's size.
 */
final class PrivacyRequests {

    static final double MAX_EPSILON = 100;
    private static final int MAX_BATCH = 100_000;

    private PrivacyRequests() {}

    /** The effective settings, or null without {@code privacy}; problems are added with field paths. */
    static PrivateTraining.Settings check(TrainingRequest request, Algorithm algorithm, Task task,
            Map<String, Number> params, List<String> features, Map<String, ColumnSchema> columns, long rows,
            List<CitadelException.FieldProblem> problems) {
        TrainingRequest.Privacy privacy = request.privacy();
        if (privacy == null) {
            return null;
        }
        int before = problems.size();
        if (algorithm != Algorithm.LOGISTIC_REGRESSION && algorithm != Algorithm.LINEAR_REGRESSION) {
            problems.add(problem("privacy", "differentially private training is available for logistic-regression "
                    + "and linear-regression"));
        }
        if (privacy.epsilon() == null || !(privacy.epsilon() > 0 && privacy.epsilon() <= MAX_EPSILON)) {
            problems.add(problem("privacy.epsilon", "a number greater than 0 and at most " + (int) MAX_EPSILON));
        }
        if (privacy.delta() != null && !(privacy.delta() > 0 && privacy.delta() < 1.0 / Math.max(1, rows))) {
            problems.add(problem("privacy.delta", "a number greater than 0 and below 1/n, n = " + rows
                    + " rows in the dataset version (default 1/n²)"));
        }
        if (privacy.clip() != null && !(privacy.clip() > 0 && privacy.clip() <= dev.citadel.training.privacy.DpSgd.MAX_CLIP)) {
            problems.add(problem("privacy.clip", "a number greater than 0 and at most 100 (default 1)"));
        }
        if (privacy.batchSize() != null && (privacy.batchSize() < 1 || privacy.batchSize() > MAX_BATCH)) {
            problems.add(problem("privacy.batchSize", "a whole number from 1 to " + MAX_BATCH + " (default 256)"));
        }
        checkDeclarations(privacy, task == Task.REGRESSION ? request.target() : null, features, columns, problems);
        if (problems.size() > before) {
            return null;
        }
        PrivateTraining.Settings settings = PrivateTraining.Settings.of(privacy, params, rows);
        long trainRows = rows - Math.round(rows * request.testFractionOrDefault());
        try {
            settings.plan((int) Math.max(1, Math.min(Integer.MAX_VALUE, trainRows)));
        } catch (IllegalArgumentException e) {
            problems.add(problem("privacy", "cannot be bounded for about " + trainRows + " training rows: "
                    + e.getMessage()));
        }
        return settings;
    }

    private static void checkDeclarations(TrainingRequest.Privacy privacy, String regressionTarget,
            List<String> features, Map<String, ColumnSchema> columns, List<CitadelException.FieldProblem> problems) {
        Map<String, List<Double>> bounds = privacy.bounds() == null ? Map.of() : privacy.bounds();
        Map<String, List<String>> categories = privacy.categories() == null ? Map.of() : privacy.categories();
        Set<String> numeric = new java.util.TreeSet<>();
        Set<String> categorical = new java.util.TreeSet<>();
        for (String feature : features) {
            String type = columns.get(feature).type();
            if (type.equals("integer") || type.equals("decimal")) {
                numeric.add(feature);
            } else if (type.equals("categorical")) {
                categorical.add(feature);
            }
        }
        if (regressionTarget != null) {
            numeric.add(regressionTarget);
        }
        for (String name : numeric) {
            List<Double> range = bounds.get(name);
            if (range == null || range.size() != 2 || range.get(0) == null || range.get(1) == null
                    || !Double.isFinite(range.get(0)) || !Double.isFinite(range.get(1)) || !(range.get(0) < range.get(1))
                    || !Double.isFinite(range.get(1) - range.get(0))) {
                problems.add(problem("privacy.bounds." + name, "declare [low, high] with low < high: values are "
                        + "clipped to it and scaled by it, never by statistics of the data"));
            }
        }
        for (String name : categorical) {
            List<String> declared = categories.get(name);
            if (declared == null || declared.isEmpty() || declared.stream().anyMatch(c -> c == null || c.isBlank())) {
                problems.add(problem("privacy.categories." + name, "declare the column's categories: the one-hot "
                        + "encoding uses them, never the values found in the data"));
            }
        }
        bounds.keySet().stream().filter(name -> !numeric.contains(name)).forEach(name -> problems.add(problem(
                "privacy.bounds." + TrainingJobs.clip(name), "not a numeric feature or regression target of this job")));
        categories.keySet().stream().filter(name -> !categorical.contains(name)).forEach(name -> problems.add(problem(
                "privacy.categories." + TrainingJobs.clip(name), "not a categorical feature of this job")));
    }

    private static CitadelException.FieldProblem problem(String field, String message) {
        return new CitadelException.FieldProblem(field, message);
    }
}
