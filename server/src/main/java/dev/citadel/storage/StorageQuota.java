package dev.citadel.storage;

import dev.citadel.platform.TenantId;

/** How many bytes a tenant may keep in the object store (provided by the tenancy feature). */
public interface StorageQuota {

    long limitBytes(TenantId tenant);
}
