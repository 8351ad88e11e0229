/**
 * Limits on the prediction path: token-bucket rate limits per principal and per tenant, a daily
 * prediction quota per tenant and a daily query budget per principal per deployment (Bucket4j; in
 * PostgreSQL when the installation runs on it, so every replica shares them), and a per-tenant
 * bulkhead bounding how many of a tenant's requests run at once.
 */
@org.springframework.modulith.NamedInterface("limits")
package dev.citadel.deployments.limits;
