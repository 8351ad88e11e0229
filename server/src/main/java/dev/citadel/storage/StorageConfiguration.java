package dev.citadel.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.citadel.platform.config.DataDirectory;
import dev.citadel.storage.store.FilesystemBlobStore;
import dev.citadel.storage.store.ReplicatedBlobStore;
import dev.citadel.storage.store.S3BlobStore;

/** Chooses the object store from configuration. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{1,31}");

    @Bean
    BlobStore blobStore(StorageProperties properties, DataDirectory dataDirectory,
            org.springframework.beans.factory.ObjectProvider<dev.citadel.platform.TenantRegions> tenantRegions) {
        BlobStore store = switch (properties.backend()) {
            case FILESYSTEM -> new FilesystemBlobStore(dataDirectory.directory("blobs"));
            case S3 -> new S3BlobStore(properties.s3());
            case REPLICATED -> replicated(properties);
        };
        if (!properties.regions().isEmpty()) {
            if (properties.backend() == StorageProperties.Backend.REPLICATED) {
                throw new IllegalStateException("citadel.storage.backend=replicated cannot be combined with "
                        + "citadel.storage.regions yet: replicate each region's store, or drop the regions");
            }
            java.util.Map<String, BlobStore> byRegion = new java.util.TreeMap<>();
            properties.regions().forEach((region, config) -> {
                if (!REGION.matcher(region).matches()) {
                    throw new IllegalStateException("citadel.storage.regions: '" + region
                            + "' is not a region slug such as eu-west-1");
                }
                byRegion.put(region, switch (config.backend()) {
                    case FILESYSTEM -> new FilesystemBlobStore(config.directory() == null || config.directory().isBlank()
                            ? dataDirectory.directory("regions").resolve(region).resolve("blobs")
                            : java.nio.file.Path.of(config.directory()));
                    case S3 -> new S3BlobStore(config.s3());
                    case REPLICATED -> throw new IllegalStateException("citadel.storage.regions." + region
                            + ".backend: replicated is not supported for a region's store yet");
                });
            });
            // the tenant lookup is resolved on first use: tenancy sits above storage
            store = new dev.citadel.storage.store.RegionalBlobStore(store, byRegion,
                    tenant -> tenantRegions.getObject().regionOf(tenant));
        }
        log.info("Object store: {}", store.description());
        return store;
    }

    /**
     * Two stores, each configured like a region's; refused at start-up when a side is missing, is
     * itself replicated, or is the same store as the other side.
     */
    static ReplicatedBlobStore replicated(StorageProperties properties) {
        StorageProperties.Replicated config = properties.replicated();
        java.util.List<String> problems = new java.util.ArrayList<>();
        checkSide("primary", config.primary(), problems);
        checkSide("secondary", config.secondary(), problems);
        if (problems.isEmpty() && sameStore(config.primary(), config.secondary())) {
            problems.add("citadel.storage.replicated.primary and secondary are the same store: a replica must be "
                    + "another directory or another endpoint or bucket");
        }
        if (config.repairInterval() == null || config.repairInterval().isNegative() || config.repairInterval().isZero()) {
            problems.add("citadel.storage.replicated.repair-interval must be positive");
        }
        if (config.scrubInterval() == null || config.scrubInterval().isNegative() || config.scrubInterval().isZero()) {
            problems.add("citadel.storage.replicated.scrub-interval must be positive");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid replicated storage configuration: " + String.join("; ", problems));
        }
        return new ReplicatedBlobStore(side(config.primary()), side(config.secondary()), config.ack(),
                ReplicatedBlobStore.Listener.NONE);
    }

    private static void checkSide(String name, StorageProperties.RegionStore side, java.util.List<String> problems) {
        String prefix = "citadel.storage.replicated." + name;
        if (side == null) {
            problems.add(prefix + " must be configured");
            return;
        }
        switch (side.backend()) {
            case FILESYSTEM -> {
                if (side.directory() == null || side.directory().isBlank()) {
                    problems.add(prefix + ".directory must be set for the filesystem backend");
                }
            }
            case S3 -> {
                if (side.s3() == null || side.s3().bucket() == null) {
                    problems.add(prefix + ".s3.bucket must be set for the s3 backend");
                }
            }
            case REPLICATED -> problems.add(prefix + ".backend must be filesystem or s3");
        }
    }

    private static boolean sameStore(StorageProperties.RegionStore a, StorageProperties.RegionStore b) {
        if (a.backend() != b.backend()) {
            return false;
        }
        if (a.backend() == StorageProperties.Backend.FILESYSTEM) {
            return java.nio.file.Path.of(a.directory()).toAbsolutePath().normalize()
                    .equals(java.nio.file.Path.of(b.directory()).toAbsolutePath().normalize());
        }
        return java.util.Objects.equals(a.s3().endpoint(), b.s3().endpoint())
                && java.util.Objects.equals(a.s3().bucket(), b.s3().bucket());
    }

    private static BlobStore side(StorageProperties.RegionStore side) {
        return switch (side.backend()) {
            case FILESYSTEM -> new FilesystemBlobStore(java.nio.file.Path.of(side.directory()));
            case S3 -> new S3BlobStore(side.s3());
            case REPLICATED -> throw new IllegalStateException("unreachable: checked above");
        };
    }

    @Bean
    StorageRegions storageRegions(StorageProperties properties) {
        return new StorageRegions(java.util.Set.copyOf(properties.regions().keySet()));
    }
}
