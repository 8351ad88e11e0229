package dev.citadel.training;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ObjIntConsumer;
import java.util.stream.IntStream;

import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * Trains a model on a CSV stream outside the job system, with the same code as a training job
 * (loading, split, encoding, trainer, metrics, export) but no tenant, database or registry: for
 * benchmarks and tools that must measure exactly what the server does. Its split and reading rules
 * are also how monitoring finds the rows a job held out and reads them as the job did.
 */
public final class OfflineTraining {

    private OfflineTraining() {}

    /**
     * What to train.
     *
     * @param columns the columns to read, in order (name → integer, decimal, boolean or categorical):
     *     the target and every feature; other columns of the file are ignored
     * @param params the algorithm's parameters; absent ones take the server's defaults
     */
    public record Request(Map<String, String> columns, String target, Task task, Algorithm algorithm,
            Map<String, Object> params, long seed, double testFraction, TrainingRequest.Privacy privacy) {

        public Request {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(algorithm, "algorithm");
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
            params = params == null ? Map.of() : Map.copyOf(params);
        }

        /** Without differential privacy. */
        public Request(Map<String, String> columns, String target, Task task, Algorithm algorithm,
                Map<String, Object> params, long seed, double testFraction) {
            this(columns, target, task, algorithm, params, seed, testFraction, null);
        }
    }

    /** How long each step took: reading the CSV, split and encoding, the trainer, evaluation, export. */
    public record Timings(Duration load, Duration encode, Duration fit, Duration evaluate, Duration export) {}

    /**
     * A trained model: the held-out metrics a job records, the artifact in the format the registry
     * would store, the model's feature vector, the effective parameters and the timings.
     */
    public record Result(Map<String, Object> metrics, byte[] artifact, String format, List<String> vector,
            Map<String, Number> params, int trainRows, int testRows, Timings timings, Map<String, Object> privacy) {}

    /**
     * Trains as a job would on {@code csv}, with one XGBoost thread per core (the server's default).
     * {@code progress} receives the job's phases and percentages.
     *
     * @throws CitadelException {@code training.invalid} for a request a job would refuse,
     *     {@code training.failed} for data it could not train on
     */
    public static Result train(InputStream csv, Request request, ObjIntConsumer<String> progress) {
        Map<String, Number> params = check(request);
        String targetType = request.columns().get(request.target());
        Map<String, String> wanted = new LinkedHashMap<>(request.columns());
        if (request.task() == Task.CLASSIFICATION && !targetType.equals("boolean")) {
            wanted.put(request.target(), "categorical");
        }
        List<String> features = new ArrayList<>(request.columns().keySet());
        features.remove(request.target());

        progress.accept("loading data", 2);
        long start = System.nanoTime();
        TrainingTable table = TrainingTable.load(csv, wanted, 1, rows -> {});
        long load = System.nanoTime() - start;
        ModelFitter.Spec spec = new ModelFitter.Spec(features, request.target(), targetType, request.task(),
                request.algorithm(), params, request.seed(), request.testFraction(), Map.of(), java.util.Set.of(),
                new TrainingProperties(null, null).effectiveThreads(), request.privacy(),
                request.privacy() == null ? null : PrivateTraining.Settings.of(request.privacy(), params, table.rows()));
        ModelFitter.Fitted fitted = ModelFitter.fit(table, spec, progress, () -> false).orElseThrow();
        return new Result(fitted.metrics(), fitted.artifact(), fitted.format(), fitted.vector(), params,
                fitted.trainRows(), fitted.testRows(), new Timings(Duration.ofNanos(load),
                        Duration.ofNanos(fitted.encodeNanos()), Duration.ofNanos(fitted.fitNanos()),
                        Duration.ofNanos(fitted.evaluateNanos()), Duration.ofNanos(fitted.exportNanos())),
                fitted.privacy());
    }

    /**
     * The server's split rule: which of {@code rows} rows a job with this seed and test fraction
     * holds out, when every row has a target value (rows without one are dropped before the split).
     */
    public static boolean[] heldOut(int rows, double testFraction, long seed) {
        boolean[] every = new boolean[rows];
        java.util.Arrays.fill(every, true);
        return heldOut(every, testFraction, seed);
    }

    /**
     * The server's split rule over a stored version as a job read it: {@code hasTarget[r]} says
     * whether data row {@code r} (in file order) has a target value. Rows without one are left out
     * before the split, exactly as a job does; the answer says which rows the job held out, so a
     * model can be evaluated later on precisely the rows it never trained on.
     */
    public static boolean[] heldOut(boolean[] hasTarget, double testFraction, long seed) {
        int[] usable = IntStream.range(0, hasTarget.length).filter(r -> hasTarget[r]).toArray();
        boolean[] held = new boolean[hasTarget.length];
        for (int row : ModelFitter.split(usable, testFraction, seed)[1]) {
            held[row] = true;
        }
        return held;
    }

    /**
     * The category a job reads from a stored cell of a column of {@code storedType} (a class label,
     * a categorical or boolean value): null when the cell counts as missing, booleans in one
     * spelling (true/false), anything else trimmed.
     */
    public static String category(String cell, String storedType) {
        return ColumnSchema.isNull(cell) ? null : TrainingTable.normalise(cell, storedType);
    }

    /** The label a job treats as positive in a binary classifier's metrics (true, yes, 1, positive, y, else the second). */
    public static String positiveLabel(List<String> labels) {
        return Evaluation.positive(labels);
    }

    private static Map<String, Number> check(Request request) {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        request.columns().forEach((name, type) -> {
            if (!TrainingTable.FEATURE_TYPES.contains(type)) {
                problems.add(new CitadelException.FieldProblem("columns." + TrainingJobs.clip(name),
                        "must be one of " + TrainingTable.FEATURE_TYPES));
            }
        });
        String targetType = request.columns().get(request.target());
        if (targetType == null) {
            problems.add(new CitadelException.FieldProblem("target", "must be one of the columns"));
        } else if (request.task() == Task.REGRESSION && !(targetType.equals("integer") || targetType.equals("decimal"))) {
            problems.add(new CitadelException.FieldProblem("target", "regression needs a numeric target"));
        }
        if (request.columns().size() < 2) {
            problems.add(new CitadelException.FieldProblem("columns", "the target and at least one feature"));
        }
        if (!request.algorithm().supports(request.task())) {
            problems.add(new CitadelException.FieldProblem("algorithm",
                    request.algorithm().wireName() + " does not do " + request.task().wireName()));
        }
        if (!(request.testFraction() >= 0.05 && request.testFraction() <= 0.5)) {
            problems.add(new CitadelException.FieldProblem("testFraction", "between 0.05 and 0.5"));
        }
        Map<String, Number> params = request.algorithm().resolve(request.params(), problems);
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.TRAINING_INVALID, "The training request is invalid.", problems, null);
        }
        return params;
    }
}
