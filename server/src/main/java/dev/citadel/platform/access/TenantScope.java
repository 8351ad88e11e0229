package dev.citadel.platform.access;

import java.util.Set;

import dev.citadel.platform.TenantId;

/**
 * Proof that the access check passed: the tenant of the request, its caller and the caller's
 * effective roles there. Handlers of {@link TenantAction} endpoints take it as a parameter.
 */
public record TenantScope(TenantId tenant, CitadelPrincipal principal, Set<Role> roles, Action action) {

    public TenantScope {
        roles = Set.copyOf(roles);
    }
}
