package dev.citadel.platform.access;

/** Platform-level operations; only an effective {@code platform-admin} may perform them. */
public enum PlatformAction {
    TENANTS_MANAGE("tenants.manage"),
    USERS_MANAGE("users.manage"),
    SIGNING_KEYS_MANAGE("signing-keys.manage"),
    KEK_MANAGE("kek.manage"),
    PLATFORM_AUDIT_READ("platform-audit.read"),
    PLATFORM_WEBHOOKS_MANAGE("platform-webhooks.manage"),
    PLATFORM_POLICIES_MANAGE("platform-policies.manage"),
    BACKUPS_MANAGE("backups.manage"),
    STORAGE_MANAGE("storage.manage");

    private final String wireName;

    PlatformAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
