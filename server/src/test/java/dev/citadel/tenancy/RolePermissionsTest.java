package dev.citadel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.Role;

/** The production permission table is exactly SPEC §2's, deny by default, union over roles. */
class RolePermissionsTest {

    @ParameterizedTest
    @EnumSource(Action.class)
    void everyActionIsGrantedToExactlyTheRolesTheSpecNames(Action action) {
        assertThat(SpecPermissionTable.ALLOWED).as("the spec table covers %s", action).containsKey(action);
        for (Role role : Role.values()) {
            if (role.isTenantRole()) {
                assertThat(RolePermissions.allows(Set.of(role), action))
                        .as("%s may %s", role, action).isEqualTo(SpecPermissionTable.allows(role, action));
            }
        }
    }

    @Test
    void platformAdminHoldsNoTenantPermissionAndNoRolesMeansNothing() {
        for (Action action : Action.values()) {
            assertThat(RolePermissions.allows(Set.of(Role.PLATFORM_ADMIN), action)).isFalse();
            assertThat(RolePermissions.allows(Set.of(), action)).isFalse();
        }
    }

    @Test
    void aMembersPermissionsAreTheUnionOfItsRoles() {
        assertThat(RolePermissions.allows(List.of(Role.PREDICTOR, Role.VIEWER), Action.PREDICT)).isTrue();
        assertThat(RolePermissions.allows(List.of(Role.PREDICTOR, Role.VIEWER), Action.TENANT_READ)).isTrue();
        assertThat(RolePermissions.allows(List.of(Role.PREDICTOR, Role.VIEWER), Action.AUDIT_READ)).isFalse();
    }
}
