package dev.citadel.tenancy.web;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.Role;
import dev.citadel.platform.access.SelfService;
import dev.citadel.tenancy.Members;
import dev.citadel.tenancy.RolePermissions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The role → action table, and the caller's own tenant memberships. */
@RestController
@Tag(name = "Members")
class RolesController {

    private final Members members;

    RolesController(Members members) {
        this.members = members;
    }

    record RoleView(String role, List<String> actions) {}

    record Membership(String tenant, List<String> roles) {}

    @GetMapping("/api/v1/roles")
    @SelfService
    @Operation(summary = "The roles and the actions each one allows")
    List<RoleView> roles() {
        return Arrays.stream(Role.values()).filter(Role::isTenantRole)
                .map(role -> new RoleView(role.wireName(), RolePermissions.actionsOf(role).stream()
                        .map(Action::wireName).sorted().toList()))
                .toList();
    }

    @GetMapping("/api/v1/users/me/tenants")
    @SelfService
    @Operation(summary = "The tenants the caller belongs to, with its roles there")
    List<Membership> myTenants() {
        Map<TenantId, java.util.Set<Role>> memberships = members.membershipsOf(Principals.current().orElseThrow());
        return memberships.entrySet().stream()
                .map(e -> new Membership(e.getKey().value(),
                        e.getValue().stream().map(Role::wireName).collect(java.util.stream.Collectors.toCollection(TreeSet::new))
                                .stream().toList()))
                .toList();
    }
}
