package dev.citadel.platform.access;

import java.util.Optional;

/**
 * The roles of SPEC §2. Tenant roles are granted per tenant; {@link #PLATFORM_ADMIN} is a platform
 * role and never a tenant role. What each role may do is decided in one place, the tenancy
 * feature's permission table.
 */
public enum Role {
    TENANT_ADMIN("tenant-admin", true),
    DATA_STEWARD("data-steward", false),
    DATA_SCIENTIST("data-scientist", false),
    ML_ENGINEER("ml-engineer", false),
    PREDICTOR("predictor", false),
    VIEWER("viewer", false),
    AUDITOR("auditor", false),
    PLATFORM_ADMIN("platform-admin", true);

    private final String wireName;
    private final boolean administrative;

    Role(String wireName, boolean administrative) {
        this.wireName = wireName;
        this.administrative = administrative;
    }

    public String wireName() {
        return wireName;
    }

    /** Administrative roles take effect only for principals with multi-factor authentication. */
    public boolean requiresMfa() {
        return administrative;
    }

    public boolean isTenantRole() {
        return this != PLATFORM_ADMIN;
    }

    public static Optional<Role> fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
