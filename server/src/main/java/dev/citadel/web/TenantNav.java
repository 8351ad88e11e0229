package dev.citadel.web;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.TenantScope;

/**
 * The tenant navigation: only the sections the caller's roles allow. Showing a link decides
 * nothing — every page runs the access check itself; this only spares members links that answer 403.
 */
record TenantNav(String tenant, String roles, boolean datasets, boolean models, boolean deployments,
        boolean audit, boolean members, boolean serviceAccounts, boolean keys, boolean compliance) {

    static TenantNav of(TenantScope scope) {
        boolean metadata = scope.permits(Action.METADATA_READ);
        return new TenantNav(scope.tenant().value(),
                String.join(", ", scope.roles().stream().map(r -> r.wireName()).sorted().toList()),
                metadata, metadata, metadata, scope.permits(Action.AUDIT_READ), scope.permits(Action.MEMBERS_MANAGE),
                scope.permits(Action.SERVICE_ACCOUNTS_MANAGE), scope.permits(Action.KEYS_LIST),
                scope.permits(Action.REPORTS_READ));
    }

    /** The base path of the tenant's pages. */
    public String base() {
        return "/console/tenants/" + tenant;
    }

}
