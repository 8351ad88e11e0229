/**
 * Drift of a deployment's live inputs against its training data: references, windows, reports.
 * Named so the web console can show the same report {@code GET …/deployments/{name}/drift} answers.
 */
@org.springframework.modulith.NamedInterface("drift")
package dev.citadel.monitoring.drift;
