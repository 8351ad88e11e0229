package dev.citadel.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.optimisers.SGD;

class IterateAveragingTest {

    /** Steps as Tribuo's SGD trainers take them: the optimiser scales the update, the parameters add it. */
    private static void step(IterateAveraging averaging, LinearParameters parameters, double first, double second) {
        Tensor[] update = {DenseMatrix.createDenseMatrix(new double[][] {{first, second}})};
        parameters.update(averaging.step(update, 1.0));
    }

    @Test
    void theTrainedParametersAreTheMeanOfEveryIterateTheFirstAndLastIncluded() {
        LinearParameters parameters = new LinearParameters(DenseMatrix.createDenseMatrix(new double[][] {{0, 1}}));
        IterateAveraging averaging = new IterateAveraging(SGD.getSimpleSGD(1.0));
        averaging.initialise(parameters);
        step(averaging, parameters, 2, 0);
        step(averaging, parameters, 4, -3);
        assertThat(parameters.getWeightMatrix().get(0, 0)).as("the last iterate").isEqualTo(6);

        averaging.finalise();
        // iterates (0, 1), (2, 1), (6, -2)
        assertThat(parameters.getWeightMatrix().get(0, 0)).isCloseTo(8 / 3.0, within(1e-12));
        assertThat(parameters.getWeightMatrix().get(0, 1)).isCloseTo(0, within(1e-12));
    }

    @Test
    void aCopyStartsAfreshAndTheProvenanceNamesTheInnerOptimiser() {
        IterateAveraging averaging = new IterateAveraging(SGD.getSimpleSGD(0.5));
        LinearParameters parameters = new LinearParameters(DenseMatrix.createDenseMatrix(new double[][] {{0, 0}}));
        IterateAveraging copy = averaging.copy();
        copy.initialise(parameters);
        step(copy, parameters, 2, 2);
        copy.finalise();
        assertThat(parameters.getWeightMatrix().get(0, 0)).as("mean of 0 and 1").isCloseTo(0.5, within(1e-12));
        assertThat(averaging.getProvenance().getClassName()).isEqualTo(IterateAveraging.class.getName());
        assertThat(averaging.getProvenance().toString()).contains("SGD");
    }
}
