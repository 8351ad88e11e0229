package dev.citadel.deployments;

/**
 * Sees every answered online prediction request, so features below serving (monitoring's drift)
 * can watch live inputs without serving depending on them. Serving calls each observer on the
 * request thread after the answer is ready and its audit entry written.
 *
 * <p>Contract: return quickly (no database or network work, no waiting on locks held for long),
 * keep no input value beyond the summary the observer exists for, and treat the instances as
 * read-only. An exception is caught, counted ({@code citadel.predictions.observer.failures}) and
 * never reaches the client.
 */
public interface PredictionObserver {

    void observed(ObservedPredictions batch);
}
