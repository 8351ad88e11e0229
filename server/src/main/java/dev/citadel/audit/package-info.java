/**
 * The audit trail: every state change and every denied request becomes an entry in its tenant's
 * hash chain, written in the same database transaction as the change.
 *
 * <p>Security property: evidence and change commit or roll back together (a failed append fails
 * the request with 503), each entry's hash covers the previous entry's, and entries hold
 * identifiers, never PII values or secrets.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "storage"})
package dev.citadel.audit;
