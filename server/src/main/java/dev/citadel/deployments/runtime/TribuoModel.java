package dev.citadel.deployments.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import com.google.protobuf.CodedInputStream;

/**
 * A Tribuo protobuf artifact (gradient-boosted trees). Only model classes Citadel itself trains are
 * accepted before Tribuo instantiates anything, and only after the registry verified the signed
 * digest; Java serialization is never involved.
 */
final class TribuoModel implements LoadedModel {

    private static final Set<String> ALLOWED = Set.of("org.tribuo.common.xgboost.XGBoostModel");

    private final Model<?> model;
    private final List<String> labels;
    private final boolean classifier;
    private final long weight;

    TribuoModel(byte[] artifact, List<String> labels) throws java.io.IOException {
        CodedInputStream in = CodedInputStream.newInstance(artifact);
        in.setRecursionLimit(64);
        ModelProto proto = ModelProto.parseFrom(in);
        if (!ALLOWED.contains(proto.getClassName())) {
            throw new IllegalArgumentException("model class not allowed");
        }
        this.model = Model.deserialize(proto);
        this.labels = labels;
        this.classifier = labels != null && !labels.isEmpty();
        this.weight = 4L * artifact.length + 64 * 1024;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Prediction> predict(List<EncodedInstance> instances) {
        List<Prediction> predictions = new ArrayList<>(instances.size());
        if (classifier) {
            Model<Label> classifierModel = (Model<Label>) model;
            List<org.tribuo.Example<Label>> examples = new ArrayList<>(instances.size());
            for (EncodedInstance instance : instances) {
                examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, instance.names(), instance.values()));
            }
            for (org.tribuo.Prediction<Label> prediction : classifierModel.predict(examples)) {
                Map<String, Double> scores = new LinkedHashMap<>();
                for (String label : labels) {
                    Label score = prediction.getOutputScores().get(label);
                    scores.put(label, score == null ? 0.0 : score.getScore());
                }
                predictions.add(new Prediction(prediction.getOutput().getLabel(), scores, null));
            }
        } else {
            Model<Regressor> regressor = (Model<Regressor>) model;
            List<org.tribuo.Example<Regressor>> examples = new ArrayList<>(instances.size());
            for (EncodedInstance instance : instances) {
                examples.add(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, instance.names(), instance.values()));
            }
            for (org.tribuo.Prediction<Regressor> prediction : regressor.predict(examples)) {
                predictions.add(new Prediction(null, null, prediction.getOutput().getValues()[0]));
            }
        }
        return predictions;
    }

    @Override
    public long weightBytes() {
        return weight;
    }

    @Override
    public void close() {
        // the XGBoost booster's native memory is released when Tribuo's model is collected
    }
}
