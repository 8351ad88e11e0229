package dev.citadel.tenancy;

import static dev.citadel.platform.access.Action.*;
import static dev.citadel.platform.access.Role.*;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.Role;

/**
 * The default role → action table of SPEC §2, as data, in one place. A member's permissions are
 * the union over its roles; anything not listed is denied. Tenants cannot widen it.
 */
public final class RolePermissions {

    private static final Map<Role, Set<Action>> TABLE = new EnumMap<>(Role.class);

    static {
        grant(TENANT_READ, TENANT_ADMIN, DATA_STEWARD, DATA_SCIENTIST, ML_ENGINEER, VIEWER, AUDITOR);
        grant(METADATA_READ, TENANT_ADMIN, DATA_STEWARD, DATA_SCIENTIST, ML_ENGINEER, VIEWER, AUDITOR);
        grant(MEMBERS_MANAGE, TENANT_ADMIN);
        grant(SERVICE_ACCOUNTS_MANAGE, TENANT_ADMIN);
        grant(KEYS_LIST, TENANT_ADMIN, AUDITOR);
        grant(KEYS_ROTATE, TENANT_ADMIN);
        grant(DATASET_UPLOAD, DATA_STEWARD, DATA_SCIENTIST);
        grant(DATASET_CONTENT_READ, DATA_STEWARD, DATA_SCIENTIST);
        grant(PRIVACY_POLICY_SET, DATA_STEWARD);
        grant(PRIVACY_KEEP, DATA_STEWARD);
        grant(DETOKENIZE, DATA_STEWARD);
        grant(TRAINING_START, DATA_SCIENTIST, ML_ENGINEER);
        grant(TRAINING_CANCEL, DATA_SCIENTIST, ML_ENGINEER);
        grant(MODEL_IMPORT, DATA_SCIENTIST, ML_ENGINEER);
        grant(MODEL_APPROVE, TENANT_ADMIN, ML_ENGINEER);
        grant(MODEL_EXPORT, TENANT_ADMIN, ML_ENGINEER);
        grant(DEPLOYMENTS_MANAGE, TENANT_ADMIN, ML_ENGINEER);
        grant(PREDICT, DATA_SCIENTIST, ML_ENGINEER, PREDICTOR);
        grant(MONITORING_READ, TENANT_ADMIN, DATA_SCIENTIST, ML_ENGINEER, VIEWER, AUDITOR);
        grant(MONITORING_BIAS_REQUEST, TENANT_ADMIN, DATA_SCIENTIST, ML_ENGINEER, AUDITOR);
        grant(WEBHOOKS_MANAGE, TENANT_ADMIN);
        grant(AUDIT_READ, TENANT_ADMIN, AUDITOR);
        grant(AUDIT_VERIFY, TENANT_ADMIN, AUDITOR);
        grant(AUDIT_EXPORT, TENANT_ADMIN, AUDITOR);
        grant(POLICIES_MANAGE, TENANT_ADMIN);
        grant(POLICIES_READ, TENANT_ADMIN, DATA_STEWARD, AUDITOR);
        grant(ERASURE_REQUEST, TENANT_ADMIN, DATA_STEWARD);
        grant(REPORTS_READ, TENANT_ADMIN, AUDITOR);
    }

    /**
     * What a {@code platform-admin} may do in any tenant without being a member: see the tenant
     * and bootstrap its members and service accounts — never read its content.
     */
    static final Set<Action> PLATFORM_ADMIN_ACTIONS = EnumSet.of(TENANT_READ, MEMBERS_MANAGE, SERVICE_ACCOUNTS_MANAGE);

    private RolePermissions() {}

    private static void grant(Action action, Role... roles) {
        for (Role role : roles) {
            if (!role.isTenantRole()) {
                throw new IllegalStateException("platform-admin holds no tenant permissions");
            }
            TABLE.computeIfAbsent(role, r -> EnumSet.noneOf(Action.class)).add(action);
        }
    }

    public static boolean allows(Collection<Role> roles, Action action) {
        return roles.stream().anyMatch(role -> TABLE.getOrDefault(role, Set.of()).contains(action));
    }

    /** Every action any of {@code roles} allows. */
    static Set<Action> permitted(Collection<Role> roles) {
        Set<Action> actions = EnumSet.noneOf(Action.class);
        roles.forEach(role -> actions.addAll(TABLE.getOrDefault(role, Set.of())));
        return actions;
    }

    public static Set<Action> actionsOf(Role role) {
        return Set.copyOf(TABLE.getOrDefault(role, Set.of()));
    }
}
