package dev.citadel.tenancy.tenant;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.TenantRegions;
import dev.citadel.platform.db.TenantTransactions;

/**
 * Tenants' regions for storage's residency routing. A region never changes after the tenant is
 * created, so a found region is remembered; the lookup runs in a transaction of its own, so it
 * works from inside any tenant's transaction.
 */
@Component
class TenantRegionLookup implements TenantRegions {

    private final TenantRepository repository;
    private final TenantTransactions transactions;
    private final Map<TenantId, String> known = new ConcurrentHashMap<>();

    TenantRegionLookup(TenantRepository repository, TenantTransactions transactions) {
        this.repository = repository;
        this.transactions = transactions;
    }

    @Override
    public Optional<String> regionOf(TenantId tenant) {
        String region = known.get(tenant);
        if (region != null) {
            return Optional.of(region);
        }
        Optional<String> found = transactions.inNewTenantTransaction(TenantId.PLATFORM,
                () -> repository.find(tenant)).map(t -> t.region());
        found.ifPresent(r -> known.put(tenant, r));
        return found;
    }
}
