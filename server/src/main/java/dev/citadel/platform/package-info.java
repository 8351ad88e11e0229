/**
 * The shared kernel every feature stands on: typed identifiers, the error family and its RFC 9457
 * rendering, request context, configuration, the database with its per-transaction tenant context,
 * and HTTPS.
 *
 * <p>Security property: every tenant-scoped database transaction carries its tenant in a
 * transaction-local setting (PostgreSQL row-level security keys on it), every error leaves as a
 * problem response without stack traces, and secrets are held in {@link dev.citadel.platform.Secret},
 * which never prints its value.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.citadel.platform;
