package dev.citadel.platform;

import java.util.Optional;

/**
 * Where a tenant's data lives: its region, fixed when the tenant is created. The tenancy feature
 * answers; storage uses it to put every blob of a tenant in the object store of its region.
 */
public interface TenantRegions {

    Optional<String> regionOf(TenantId tenant);
}
