package dev.citadel.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.citadel.platform.config.DataDirectory;
import dev.citadel.storage.store.FilesystemBlobStore;
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
        };
        if (!properties.regions().isEmpty()) {
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
                });
            });
            // the tenant lookup is resolved on first use: tenancy sits above storage
            store = new dev.citadel.storage.store.RegionalBlobStore(store, byRegion,
                    tenant -> tenantRegions.getObject().regionOf(tenant));
        }
        log.info("Object store: {}", store.description());
        return store;
    }

    @Bean
    StorageRegions storageRegions(StorageProperties properties) {
        return new StorageRegions(java.util.Set.copyOf(properties.regions().keySet()));
    }
}
