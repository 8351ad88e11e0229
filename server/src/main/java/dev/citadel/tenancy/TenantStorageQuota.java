package dev.citadel.tenancy;

import org.springframework.stereotype.Component;

import dev.citadel.platform.TenantId;
import dev.citadel.storage.StorageQuota;
import dev.citadel.tenancy.tenant.TenantRepository;

/** The storage quota of each tenant, from its record (set at creation, from its plan by default). */
@Component
class TenantStorageQuota implements StorageQuota {

    private final TenantRepository tenants;

    TenantStorageQuota(TenantRepository tenants) {
        this.tenants = tenants;
    }

    @Override
    public long limitBytes(TenantId tenant) {
        return tenants.find(tenant).map(t -> t.quotas().storageBytes()).orElse(0L);
    }
}
