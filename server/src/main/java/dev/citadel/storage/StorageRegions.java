package dev.citadel.storage;

import java.util.Set;

/**
 * The regions that have an object store of their own ({@code citadel.storage.regions}). Empty when
 * residency is not configured: then one store holds every tenant's objects. When it is not empty,
 * a tenant can only be created in one of these regions.
 */
public record StorageRegions(Set<String> names) {

    public boolean configured() {
        return !names.isEmpty();
    }

    public boolean accepts(String region) {
        return names.isEmpty() || names.contains(region);
    }
}
