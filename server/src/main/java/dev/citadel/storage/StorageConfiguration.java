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

    @Bean
    BlobStore blobStore(StorageProperties properties, DataDirectory dataDirectory) {
        BlobStore store = switch (properties.backend()) {
            case FILESYSTEM -> new FilesystemBlobStore(dataDirectory.directory("blobs"));
            case S3 -> new S3BlobStore(properties.s3());
        };
        log.info("Object store: {}", store.description());
        return store;
    }
}
