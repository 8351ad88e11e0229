package dev.citadel.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.citadel.platform.TenantId;

/**
 * KEK rotation: a new KEK version becomes current, then every platform and tenant keyset is
 * re-wrapped under it. Older versions stay available for unwrapping, so a rotation interrupted
 * half-way loses nothing and can simply be run again.
 */
public final class KekRotation {

    private static final Logger log = LoggerFactory.getLogger(KekRotation.class);

    private final KekProvider kek;
    private final PlatformKeysets platformKeysets;
    private final TenantKeys tenantKeys;
    private final KeysetWrapping wrapping;

    private final dev.citadel.platform.db.TenantTransactions transactions;

    KekRotation(KekProvider kek, PlatformKeysets platformKeysets, TenantKeys tenantKeys, KeysetWrapping wrapping,
            dev.citadel.platform.db.TenantTransactions transactions) {
        this.transactions = transactions;
        this.kek = kek;
        this.platformKeysets = platformKeysets;
        this.tenantKeys = tenantKeys;
        this.wrapping = wrapping;
    }

    /**
     * The outcome: the new KEK version, how many keysets were re-wrapped under it, and the tenants
     * whose keysets could not be (damaged keysets stay under their old KEK version; run again after
     * repairing them).
     */
    public record Result(String kekId, int platformKeysets, int tenantKeysets, List<String> failedTenants) {}

    public Result rotate(Collection<TenantId> tenants) {
        KekProvider.Kek next = kek.rotate();
        transactions.inPlatform(() -> wrapping.record(TenantId.PLATFORM, "kek.rotate", "kek", next.id()));
        return rewrapAll(tenants);
    }

    /** Re-wraps whatever is still under an older KEK version (also the way to finish an interrupted rotation). */
    public Result rewrapAll(Collection<TenantId> tenants) {
        int platform = platformKeysets.rewrap();
        int tenant = 0;
        List<String> failed = new ArrayList<>();
        for (TenantId id : tenants) {
            try {
                tenant += tenantKeys.rewrap(id);
            } catch (RuntimeException e) {
                log.error("Could not re-wrap the keysets of tenant {}", id, e);
                failed.add(id.value());
            }
        }
        return new Result(kek.current().id(), platform, tenant, List.copyOf(failed));
    }

    public String currentKekId() {
        return kek.current().id();
    }

    public String description() {
        return kek.description();
    }
}
