package dev.citadel.training;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.training.privacy.DpSgd;
import dev.citadel.training.privacy.RdpAccountant;

/**
 * Differentially private training of the linear models (ADR 0031): the rows encoded with declared
 * bounds and categories, weights from {@link DpSgd}, and a Tribuo linear model around them. The
 * model's feature and output maps come from a synthetic shell dataset (one example per class, every
 * declared input present), so the artifact carries no statistic of the training rows.
 */
final class PrivateTraining {

    /** The trained model and what its lineage records about the privacy guarantee. */
    record Result<T extends Output<T>>(Model<T> model, Map<String, Object> lineage) {}

    private static final java.time.OffsetDateTime EPOCH = java.time.OffsetDateTime.parse("2000-01-01T00:00:00Z");

    private PrivateTraining() {}

    /** The effective privacy settings of a job, defaults applied; checked by {@link TrainingJobs}. */
    record Settings(double epsilon, double delta, double clip, int batchSize, int epochs, double learningRate) {

        static final double DEFAULT_CLIP = 1;
        static final int DEFAULT_BATCH = 256;

        static Settings of(TrainingRequest.Privacy privacy, Map<String, Number> params, long datasetRows) {
            double delta = privacy.delta() != null ? privacy.delta() : 1.0 / ((double) datasetRows * datasetRows);
            return new Settings(privacy.epsilon(), delta, privacy.clip() == null ? DEFAULT_CLIP : privacy.clip(),
                    privacy.batchSize() == null ? DEFAULT_BATCH : privacy.batchSize(), params.get("epochs").intValue(),
                    params.get("learningRate").doubleValue());
        }

        DpSgd.Plan plan(int trainRows) {
            return DpSgd.plan(trainRows, Math.min(batchSize, trainRows), epochs, epsilon, delta, clip);
        }
    }

    static Result<Label> classifier(Settings settings, FeatureEncoder encoder, TrainingTable.Categorical labels,
            int[] train, long seed) {
        List<String> classes = labels.dictionary.stream().sorted().toList();
        MutableDataset<Label> shell = shell(encoder, new LabelFactory(), classes.stream().map(Label::new).toList());
        ImmutableFeatureMap features = shell.getFeatureIDMap();
        ImmutableOutputInfo<Label> outputs = shell.getOutputIDInfo();
        double[][] x = new double[train.length][];
        int[] y = new int[train.length];
        for (int i = 0; i < train.length; i++) {
            Label label = new Label(labels.value(train[i]));
            x[i] = dense(encoder.encode(train[i], label), features);
            y[i] = outputs.getID(label);
        }
        DpSgd.Plan plan = plan(settings, train.length);
        double[][] weights = DpSgd.logistic(x, y, outputs.size(), plan, settings.learningRate(), new SecureRandom());
        Model<Label> model = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(),
                new FixedWeights(DenseMatrix.createDenseMatrix(weights)), 1, Integer.MAX_VALUE, 1, seed).train(shell);
        return new Result<>(model, lineage(settings, plan));
    }

    /**
     * Linear regression: the target is clipped to its declared bounds and mapped onto [−1, 1] for
     * training; the weights are mapped back, which is post-processing.
     */
    static Result<Regressor> regressor(Settings settings, FeatureEncoder encoder, TrainingTable.Numeric values,
            String target, List<Double> targetBounds, int[] train, long seed) {
        double low = targetBounds.get(0);
        double half = (targetBounds.get(1) - low) / 2;
        double mid = low + half;
        MutableDataset<Regressor> shell = shell(encoder, new RegressionFactory(), List.of(new Regressor(target, 0)));
        ImmutableFeatureMap features = shell.getFeatureIDMap();
        double[][] x = new double[train.length][];
        double[] y = new double[train.length];
        for (int i = 0; i < train.length; i++) {
            double value = values.values[train[i]];
            x[i] = dense(encoder.encode(train[i], new Regressor(target, value)), features);
            y[i] = (Math.min(targetBounds.get(1), Math.max(low, value)) - mid) / half;
        }
        DpSgd.Plan plan = plan(settings, train.length);
        double[] scaled = DpSgd.linear(x, y, plan, settings.learningRate(), new SecureRandom());
        double[] weights = new double[scaled.length];
        for (int j = 0; j < scaled.length; j++) {
            weights[j] = scaled[j] * half;
        }
        weights[scaled.length - 1] += mid;
        Model<Regressor> model = new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(),
                new FixedWeights(DenseMatrix.createDenseMatrix(new double[][] {weights})), 1, Integer.MAX_VALUE, 1, seed)
                .train(shell);
        return new Result<>(model, lineage(settings, plan));
    }

    private static DpSgd.Plan plan(Settings settings, int trainRows) {
        try {
            return settings.plan(trainRows);
        } catch (IllegalArgumentException e) {
            throw new CitadelException(ErrorCode.TRAINING_FAILED, "Differentially private training cannot bound "
                    + "these settings for " + trainRows + " training rows: " + e.getMessage() + ".");
        }
    }

    /** One example per output, each holding every declared input, so the maps depend on no row. */
    private static <T extends Output<T>> MutableDataset<T> shell(FeatureEncoder encoder, OutputFactory<T> factory,
            List<T> outputs) {
        MutableDataset<T> shell = new MutableDataset<>(new SimpleDataSourceProvenance("citadel:dp-shell", EPOCH,
                factory), factory);
        List<String> names = encoder.inputNames();
        for (T output : outputs) {
            shell.add(new ArrayExample<>(output, names.toArray(String[]::new), new double[names.size()]));
        }
        return shell;
    }

    private static double[] dense(Example<?> example, ImmutableFeatureMap features) {
        double[] row = new double[features.size()];
        for (Feature feature : example) {
            int id = features.getID(feature.getName());
            if (id >= 0) {
                row[id] = feature.getValue();
            }
        }
        return row;
    }

    private static Map<String, Object> lineage(Settings settings, DpSgd.Plan plan) {
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("mechanism", "dp-sgd");
        lineage.put("epsilon", settings.epsilon());
        lineage.put("epsilonAccounted", plan.epsilon());
        lineage.put("delta", plan.delta());
        lineage.put("sigma", plan.sigma());
        lineage.put("clip", plan.clip());
        lineage.put("samplingRate", plan.samplingRate());
        lineage.put("expectedBatchSize", plan.expectedBatch());
        lineage.put("steps", plan.steps());
        lineage.put("trainingRows", plan.rows());
        lineage.put("noise", "discrete-gaussian-cks2020");
        lineage.put("accountant", new TreeMap<>(Map.of("name", RdpAccountant.NAME, "version", RdpAccountant.VERSION,
                "conversion", RdpAccountant.CONVERSION)));
        return lineage;
    }
}
