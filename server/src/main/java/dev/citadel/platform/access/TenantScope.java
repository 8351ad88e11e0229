package dev.citadel.platform.access;

import java.util.Set;

import dev.citadel.platform.TenantId;

/**
 * Proof that the access check passed: the tenant of the request, its caller, the caller's
 * effective roles there and every action those roles allow (for handlers whose request may need a
 * second permission, such as a privacy policy that keeps identifiers). Handlers of
 * {@link TenantAction} endpoints take it as a parameter.
 */
public record TenantScope(TenantId tenant, CitadelPrincipal principal, Set<Role> roles, Action action,
        Set<Action> permitted) {

    public TenantScope {
        roles = Set.copyOf(roles);
        permitted = Set.copyOf(permitted);
    }

    /** Whether the caller's roles in this tenant allow {@code other} too. */
    public boolean permits(Action other) {
        return permitted.contains(other);
    }
}
