package dev.citadel.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** The DP weights land in Tribuo's model in the layout DpSgd writes them: class × feature id, bias last. */
class FixedWeightsTest {

    @Test
    void aShellModelPredictsWithExactlyTheGivenWeights() {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> shell = new MutableDataset<>(new SimpleDataSourceProvenance("shell",
                OffsetDateTime.parse("2000-01-01T00:00:00Z"), factory), factory);
        for (String label : new String[] {"no", "yes"}) {
            shell.add(new ArrayExample<>(new Label(label), new String[] {"b", "a"}, new double[2]));
        }
        int a = shell.getFeatureIDMap().getID("a");
        int b = shell.getFeatureIDMap().getID("b");
        int yes = shell.getOutputIDInfo().getID(new Label("yes"));
        double[][] weights = new double[2][3];
        weights[yes][a] = 2.0;
        weights[yes][b] = -1.0;
        weights[yes][2] = 0.5;
        Model<Label> model = new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(),
                new FixedWeights(DenseMatrix.createDenseMatrix(weights)), 1, Integer.MAX_VALUE, 1, 1).train(shell);

        Prediction<Label> prediction = model.predict(new ArrayExample<>(new Label("no"), new String[] {"a", "b"},
                new double[] {0.3, 0.4}));
        double logit = 2.0 * 0.3 - 1.0 * 0.4 + 0.5;
        double expected = 1 / (1 + Math.exp(-logit));
        assertThat(prediction.getOutputScores().get("yes").getScore())
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    }
}
