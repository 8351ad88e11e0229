package dev.citadel.storage.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.TenantRegions;
import dev.citadel.storage.BlobStore;

/**
 * Data residency: each tenant's objects ({@code tenants/<tenant>/…}) go to the store of the tenant's
 * region, and only there; the platform's own objects (signed audit witnesses) go to the default
 * store. A tenant whose region has no store gets no store at all — its reads and writes fail —
 * rather than one in another region.
 */
public final class RegionalBlobStore implements BlobStore {

    private static final String TENANTS = "tenants/";

    private final BlobStore platformStore;
    private final Map<String, BlobStore> byRegion;
    private final TenantRegions regions;

    public RegionalBlobStore(BlobStore platformStore, Map<String, BlobStore> byRegion, TenantRegions regions) {
        this.platformStore = platformStore;
        this.byRegion = Map.copyOf(byRegion);
        this.regions = regions;
    }

    /** The store that holds {@code key}; an {@link IOException} when its tenant's region has none. */
    BlobStore storeFor(String key) throws IOException {
        if (!key.startsWith(TENANTS)) {
            return platformStore;
        }
        int end = key.indexOf('/', TENANTS.length());
        String tenant = end < 0 ? key.substring(TENANTS.length()) : key.substring(TENANTS.length(), end);
        if (tenant.isEmpty()) {
            throw new IllegalArgumentException("a key under tenants/ names its tenant");
        }
        String region = regions.regionOf(new TenantId(tenant))
                .orElseThrow(() -> new IOException("unknown tenant: its region, and so its store, is unknown"));
        BlobStore store = byRegion.get(region);
        if (store == null) {
            throw new IOException("no object store is configured for region " + region);
        }
        return store;
    }

    @Override
    public void put(String key, Content content) throws IOException {
        storeFor(BlobStore.requireValidKey(key)).put(key, content);
    }

    @Override
    public InputStream get(String key) throws IOException {
        return storeFor(BlobStore.requireValidKey(key)).get(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return storeFor(BlobStore.requireValidKey(key)).exists(key);
    }

    @Override
    public void delete(String key) throws IOException {
        storeFor(BlobStore.requireValidKey(key)).delete(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        if (prefix.startsWith(TENANTS) && prefix.indexOf('/', TENANTS.length()) > 0) {
            return storeFor(prefix).list(prefix);
        }
        TreeSet<String> keys = new TreeSet<>(platformStore.list(prefix));
        for (BlobStore store : byRegion.values()) {
            keys.addAll(store.list(prefix));
        }
        return new ArrayList<>(keys);
    }

    @Override
    public String description() {
        Map<String, String> described = new TreeMap<>();
        byRegion.forEach((region, store) -> described.put(region, store.description()));
        return "per region " + described + ", platform objects in " + platformStore.description();
    }

    public java.util.Set<String> regions() {
        return byRegion.keySet();
    }
}
