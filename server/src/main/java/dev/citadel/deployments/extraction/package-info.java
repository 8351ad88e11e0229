/**
 * Detection of model-extraction behaviour per principal and deployment: systematic one-feature
 * sweeps, inputs far outside the training distribution, queries that sit on the decision boundary,
 * and volume far above the principal's own baseline. A detection is a security event with its
 * evidence; a deployment can also throttle or block the principal.
 */
@org.springframework.modulith.NamedInterface("extraction")
package dev.citadel.deployments.extraction;
