/**
 * Serving: deployments (a stable name serving one verified, approved model version with an output
 * policy) and predictions — inputs validated against the model's input schema, the privacy
 * transforms recorded at training re-applied, inference on a cached, verified model, outputs
 * hardened per deployment, every request audited without its input values. Answered requests are
 * handed to {@link dev.citadel.deployments.PredictionObserver}s (monitoring's drift) through an SPI, so
 * serving depends on nothing below it.
 *
 * <p>Security property: only approved or production versions whose signature and digest verify are
 * ever served; a model is verified each time it is loaded into the cache; a tenant's deployments and
 * models are invisible to every other tenant (404); the {@code predictor} role can call predictions
 * and nothing else.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "storage", "audit",
    "registry", "privacy", "tenancy", "datasets::ingest"})
package dev.citadel.deployments;
