package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.storage.store.FilesystemBlobStore;

/** The filesystem store against the contract, plus crash recovery of temporary files. */
class FilesystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    BlobStore create() {
        return new FilesystemBlobStore(root);
    }

    @Override
    int largeObjectBytes() {
        return 3 * 1024 * 1024;
    }

    @Test
    void temporaryFilesLeftByACrashAreInvisibleAndSweptAtStart() throws IOException {
        Path dir = Files.createDirectories(root.resolve(prefix + "crashed"));
        Files.write(dir.resolve(".tmp-1234.part"), new byte[] {1, 2, 3});
        assertThat(store.list(prefix)).isEmpty();
        new FilesystemBlobStore(root);
        assertThat(Files.list(dir).toList()).isEmpty();
    }
}
