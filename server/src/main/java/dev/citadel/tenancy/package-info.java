/**
 * Tenants, their members and service accounts, the role → action table and the one access check
 * every {@code /api} handler goes through.
 *
 * <p>Security property: deny by default — a handler without an access declaration is refused;
 * a principal that is not a member of a tenant gets exactly the 404 a missing tenant gets, and a
 * member gets 403 for any action its roles do not grant; every denial is audited.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "crypto", "storage", "audit", "identity"})
package dev.citadel.tenancy;
