package dev.citadel.training;

import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.Tensor;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

/**
 * Averaged stochastic gradient descent (Polyak–Ruppert): an inner optimiser takes the steps, and
 * the trained parameters are the mean of every iterate. The mean removes the noise that the last
 * steps of plain SGD leave in the model, so the learning rate can stay large for fast progress.
 *
 * <p>Tribuo's {@code ParameterAveraging} computes the same mean, but adds each sparse update into
 * the running sum through a per-element callback, which for a linear model costs nearly as much as
 * the step itself; adding the dense parameters instead costs too little to measure
 * (docs/benchmarks.md, training).
 */
final class IterateAveraging implements StochasticGradientOptimiser {

    @Config(mandatory = true, description = "The optimiser taking the steps.")
    private StochasticGradientOptimiser optimiser;

    private Parameters parameters;
    private Tensor[] sum;
    private long iterates;

    IterateAveraging(StochasticGradientOptimiser optimiser) {
        this.optimiser = optimiser;
    }

    /** For OLCUT's configuration and provenance. */
    private IterateAveraging() {}

    @Override
    public void initialise(Parameters parameters) {
        optimiser.initialise(parameters);
        this.parameters = parameters;
        sum = parameters.getEmptyCopy();
        iterates = 0;
    }

    /** Adds the current iterate to the sum, then lets the inner optimiser take the step. */
    @Override
    public Tensor[] step(Tensor[] updates, double weight) {
        add(parameters.get());
        return optimiser.step(updates, weight);
    }

    /** Replaces the parameters with the mean of every iterate, the last one included. */
    @Override
    public void finalise() {
        optimiser.finalise();
        add(parameters.get());
        Tensor[] mean = new Tensor[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = sum[i].copy();
            mean[i].scaleInPlace(1.0 / iterates);
        }
        parameters.set(mean);
    }

    private void add(Tensor[] iterate) {
        for (int i = 0; i < sum.length; i++) {
            sum[i].intersectAndAddInPlace(iterate[i]);
        }
        iterates++;
    }

    @Override
    public void reset() {
        optimiser.reset();
        parameters = null;
        sum = null;
        iterates = 0;
    }

    @Override
    public IterateAveraging copy() {
        return new IterateAveraging(optimiser.copy());
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
    }

    @Override
    public String toString() {
        return "IterateAveraging(optimiser=" + optimiser + ")";
    }
}
