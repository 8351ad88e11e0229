package dev.citadel.storage;

import java.nio.file.Path;

import dev.citadel.storage.store.FilesystemBlobStore;
import dev.citadel.storage.store.S3BlobStore;

/** Opens an object store other than the installation's own (a backup target), with the same backends. */
public final class BlobStores {

    private BlobStores() {}

    public static BlobStore open(StorageProperties.Backend backend, Path directory, StorageProperties.S3 s3) {
        return switch (backend) {
            case FILESYSTEM -> new FilesystemBlobStore(directory);
            case S3 -> new S3BlobStore(s3);
            case REPLICATED -> throw new IllegalArgumentException("a backup target is one store: filesystem or s3");
        };
    }
}
