package dev.citadel.deployments.runtime;

import java.util.List;

/** A verified model ready to answer; closed when the cache evicts it. */
public interface LoadedModel extends AutoCloseable {

    /** Predictions for encoded instances, in order. */
    List<Prediction> predict(List<EncodedInstance> instances);

    /** Approximate memory held, for the cache's bound. */
    long weightBytes();

    @Override
    void close();
}
