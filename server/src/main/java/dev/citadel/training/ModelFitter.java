package dev.citadel.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;
import java.util.stream.IntStream;

import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.registry.InputSchema;
import dev.citadel.registry.ModelManifest;

/**
 * The computation of a training job, from the loaded table to the exported model: the seeded
 * split, the encoding fitted on the training rows, the model, its held-out metrics (with the
 * {@link MembershipInference} report) and its artifact. No database, no registry: the job handler
 * and {@link OfflineTraining} both call it.
 */
final class ModelFitter {

    private static final java.time.OffsetDateTime EPOCH = java.time.OffsetDateTime.parse("2000-01-01T00:00:00Z");

    private ModelFitter() {}

    /**
     * What to fit.
     *
     * @param targetType the target column's stored type, recorded in the input schema
     * @param transforms protection actions applied to feature columns (column → action), recorded in the schema
     * @param threads threads one XGBoost training uses
     * @param privacy the declared privacy settings for DP-SGD, or null to train without
     * @param privateSettings their effective values, or null
     */
    record Spec(List<String> features, String target, String targetType, Task task, Algorithm algorithm,
            Map<String, Number> params, long seed, double testFraction, Map<String, String> transforms,
            java.util.Set<String> sensitive, int threads, TrainingRequest.Privacy privacy,
            PrivateTraining.Settings privateSettings) {}

    /** A fitted model with what the registry records about it, and how long each step took. */
    record Fitted(Map<String, Object> metrics, byte[] artifact, String format, List<String> vector,
            List<InputSchema.Feature> features, InputSchema.Target target, int trainRows, int testRows,
            int rowsWithoutTarget, long encodeNanos, long fitNanos, long evaluateNanos, long exportNanos,
            Map<String, Object> privacy) {}

    /**
     * Fits {@code spec} on {@code table}, reporting phases to {@code progress} (35% when training
     * starts, 80% when evaluating, 85% for the membership-inference audit). Empty when {@code cancelled} turned true at a safe point.
     */
    static Optional<Fitted> fit(TrainingTable table, Spec spec, ObjIntConsumer<String> progress,
            BooleanSupplier cancelled) {
        long start = System.nanoTime();
        TrainingTable.Column target = table.column(spec.target());
        int[] usable = IntStream.range(0, table.rows()).filter(r -> !target.missing(r)).toArray();
        int[][] split = split(usable, spec.testFraction(), spec.seed());
        int[] train = split[0];
        int[] test = split[1];
        if (train.length < 10 || test.length < 1) {
            throw new CitadelException(ErrorCode.TRAINING_FAILED, "The dataset version has " + usable.length
                    + " rows with a target value; training needs at least 10 for training and 1 held out.");
        }
        FeatureEncoder encoder = spec.privacy() == null
                ? FeatureEncoder.fit(table, spec.features(), train, spec.algorithm().linear(), spec.transforms(),
                        spec.sensitive())
                : FeatureEncoder.declared(table, spec.features(), spec.privacy().bounds(), spec.privacy().categories(),
                        spec.transforms(), spec.sensitive());
        progress.accept("training", 35);
        Steps steps = new Steps(start);
        Optional<Trained> trained = spec.task() == Task.CLASSIFICATION
                ? classify(spec, encoder, (TrainingTable.Categorical) target, train, test, steps, progress, cancelled)
                : regress(spec, encoder, (TrainingTable.Numeric) target, train, test, steps, progress, cancelled);
        if (trained.isEmpty()) {
            return Optional.empty();
        }
        byte[] artifact = export(trained.get().model(), spec.algorithm());
        steps.exported();
        if (cancelled.getAsBoolean()) {
            return Optional.empty();
        }
        String format = spec.algorithm().linear() ? ModelManifest.ONNX : ModelManifest.TRIBUO_PROTOBUF;
        return Optional.of(new Fitted(trained.get().metrics(), artifact, format, vector(trained.get().model()),
                encoder.schema(), trained.get().target(), train.length, test.length, table.rows() - usable.length,
                steps.encode, steps.fit, steps.evaluate, steps.export, trained.get().privacy()));
    }

    private record Trained(Model<?> model, Map<String, Object> metrics, InputSchema.Target target,
            Map<String, Object> privacy) {}

    /** Step boundaries, measured as the fit proceeds. */
    private static final class Steps {
        private long mark;
        long encode;
        long fit;
        long evaluate;
        long export;

        Steps(long start) {
            mark = start;
        }

        private long lap() {
            long now = System.nanoTime();
            long lap = now - mark;
            mark = now;
            return lap;
        }

        void encoded() {
            encode = lap();
        }

        void fitted() {
            fit = lap();
        }

        void evaluated() {
            evaluate = lap();
        }

        void exported() {
            export = lap();
        }
    }

    private static Optional<Trained> classify(Spec spec, FeatureEncoder encoder, TrainingTable.Categorical labels,
            int[] train, int[] test, Steps steps, ObjIntConsumer<String> progress, BooleanSupplier cancelled) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> trainSet = dataset(encoder, train, factory, r -> new Label(labels.value(r)), "train");
        MutableDataset<Label> testSet = dataset(encoder, test, factory, r -> new Label(labels.value(r)), "test");
        if (trainSet.getOutputInfo().size() < 2) {
            throw new CitadelException(ErrorCode.TRAINING_FAILED, "The training rows hold only one class of "
                    + spec.target() + "; a classifier needs at least two.");
        }
        steps.encoded();
        Model<Label> model;
        Map<String, Object> privacy = null;
        if (spec.privacy() == null) {
            model = spec.algorithm().classificationTrainer(spec.params(), spec.seed(), spec.threads()).train(trainSet);
        } else {
            PrivateTraining.Result<Label> result = PrivateTraining.classifier(spec.privateSettings(), encoder, labels,
                    train, spec.seed());
            model = result.model();
            privacy = result.lineage();
        }
        steps.fitted();
        if (cancelled.getAsBoolean()) {
            return Optional.empty();
        }
        progress.accept("evaluating", 80);
        List<String> labelOrder = new ArrayList<>();
        model.getOutputIDInfo().forEach(pair -> labelOrder.add(pair.getB().getLabel()));
        Map<String, Object> metrics = Evaluation.classification(model, testSet, labelOrder);
        progress.accept("membership-inference audit", 85);
        metrics.put("membershipInference", MembershipInference.classifier(model, trainSet, testSet, spec.seed(),
                guarantee(privacy)));
        steps.evaluated();
        return Optional.of(new Trained(model, metrics, new InputSchema.Target(spec.target(), spec.targetType(),
                labelOrder), privacy));
    }

    private static Optional<Trained> regress(Spec spec, FeatureEncoder encoder, TrainingTable.Numeric values,
            int[] train, int[] test, Steps steps, ObjIntConsumer<String> progress, BooleanSupplier cancelled) {
        RegressionFactory factory = new RegressionFactory();
        String name = spec.target();
        MutableDataset<Regressor> trainSet = dataset(encoder, train, factory, r -> new Regressor(name, values.values[r]),
                "train");
        MutableDataset<Regressor> testSet = dataset(encoder, test, factory, r -> new Regressor(name, values.values[r]),
                "test");
        steps.encoded();
        Model<Regressor> model;
        Map<String, Object> privacy = null;
        if (spec.privacy() == null) {
            model = spec.algorithm().regressionTrainer(spec.params(), spec.seed(), spec.threads()).train(trainSet);
        } else {
            PrivateTraining.Result<Regressor> result = PrivateTraining.regressor(spec.privateSettings(), encoder, values,
                    name, spec.privacy().bounds().get(name), train, spec.seed());
            model = result.model();
            privacy = result.lineage();
        }
        steps.fitted();
        if (cancelled.getAsBoolean()) {
            return Optional.empty();
        }
        progress.accept("evaluating", 80);
        Map<String, Object> metrics = Evaluation.regression(model, testSet, name);
        progress.accept("membership-inference audit", 85);
        metrics.put("membershipInference", MembershipInference.regressor(model, trainSet, testSet, spec.seed(),
                guarantee(privacy)));
        steps.evaluated();
        return Optional.of(new Trained(model, metrics, new InputSchema.Target(name, spec.targetType(), null), privacy));
    }

    /** The guarantee the accountant proved for a DP model (never above the requested ε), or null. */
    private static MembershipInference.Guarantee guarantee(Map<String, Object> privacy) {
        return privacy == null ? null : new MembershipInference.Guarantee(
                ((Number) privacy.get("epsilonAccounted")).doubleValue(), ((Number) privacy.get("delta")).doubleValue());
    }

    /** A seeded shuffle of the usable rows, the first {@code 1 - testFraction} of them for training. */
    static int[][] split(int[] rows, double testFraction, long seed) {
        int[] shuffled = rows.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = swap;
        }
        int testRows = (int) Math.round(shuffled.length * testFraction);
        int[] train = Arrays.copyOfRange(shuffled, testRows, shuffled.length);
        int[] test = Arrays.copyOfRange(shuffled, 0, testRows);
        Arrays.sort(train);
        Arrays.sort(test);
        return new int[][] {train, test};
    }

    private static <T extends Output<T>> MutableDataset<T> dataset(FeatureEncoder encoder, int[] rows,
            OutputFactory<T> factory, IntFunction<T> output, String part) {
        MutableDataset<T> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("citadel:" + part, EPOCH,
                factory), factory);
        for (int row : rows) {
            dataset.add(encoder.encode(row, output.apply(row)));
        }
        return dataset;
    }

    private static List<String> vector(Model<?> model) {
        List<String> names = new ArrayList<>();
        for (int id = 0; id < model.getFeatureIDMap().size(); id++) {
            names.add(model.getFeatureIDMap().get(id).getName());
        }
        return names;
    }

    /** ONNX for linear models; Tribuo's protobuf format otherwise. Never Java serialization. */
    private static byte[] export(Model<?> model, Algorithm algorithm) {
        if (algorithm.linear() && model instanceof ONNXExportable exportable) {
            return exportable.exportONNXModel("dev.citadel", 1).toByteArray();
        }
        return model.serialize().toByteArray();
    }
}
