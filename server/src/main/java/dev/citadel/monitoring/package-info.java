/**
 * Monitoring: per-tenant metrics, drift of live inputs against the training data, bias reports,
 * anomalies in request and sign-in patterns, and alerts delivered to signed webhooks.
 *
 * <p>Security property: a tenant sees only its own figures and alerts (404 for any other); monitoring
 * keeps summaries (counts, histograms), never input values, and every alert is also an audit entry.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "storage", "audit",
    "identity", "tenancy", "datasets", "datasets::ingest", "privacy", "training", "registry", "deployments",
    "deployments::runtime"})
package dev.citadel.monitoring;
