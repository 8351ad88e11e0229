package dev.citadel.training;

import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

/**
 * An optimiser that takes no steps and ends with given weights: how a linear model trained outside
 * Tribuo (DP-SGD, {@link PrivateTraining}) becomes a Tribuo {@code LinearSGDModel}, so it is
 * exported to ONNX and served exactly like any other linear model. Tribuo trains on a synthetic
 * shell dataset whose gradients this optimiser discards.
 */
final class FixedWeights implements StochasticGradientOptimiser {

    private final DenseMatrix weights;
    private Parameters parameters;

    FixedWeights(DenseMatrix weights) {
        this.weights = weights;
    }

    @Override
    public void initialise(Parameters parameters) {
        this.parameters = parameters;
    }

    @Override
    public Tensor[] step(Tensor[] updates, double weight) {
        return parameters.getEmptyCopy();
    }

    @Override
    public void finalise() {
        Tensor[] current = parameters.get();
        if (current.length != 1 || !(current[0] instanceof DenseMatrix matrix)
                || matrix.getDimension1Size() != weights.getDimension1Size()
                || matrix.getDimension2Size() != weights.getDimension2Size()) {
            throw new IllegalStateException("the model's parameters do not have the shape of the trained weights");
        }
        parameters.set(new Tensor[] {weights.copy()});
    }

    @Override
    public void reset() {
        parameters = null;
    }

    @Override
    public FixedWeights copy() {
        return new FixedWeights(weights.copy());
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
    }

    @Override
    public String toString() {
        return "FixedWeights(dp-sgd)";
    }
}
