package dev.citadel.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Small documents that are public by nature and protected by their own signature — the audit
 * trail's witness checkpoints — stored as they are under {@code signed/<name>} in the object store.
 *
 * <p>Security guarantees: nothing secret or tenant-confidential belongs here (every other blob goes
 * through {@link EncryptedBlobs}); a reader must verify a document's signature before trusting it.
 * Names follow the blob key rule; reads stop at {@value #MAX_BYTES} bytes.
 */
@Component
public class SignedDocuments {

    static final int MAX_BYTES = 64 * 1024;
    private final BlobStore store;

    SignedDocuments(BlobStore store) {
        this.store = store;
    }

    public void put(String name, byte[] content) throws IOException {
        if (content.length > MAX_BYTES) {
            throw new IllegalArgumentException("signed documents are small");
        }
        store.put(key(name), out -> out.write(content));
    }

    /** The document, or empty when none was written. */
    public Optional<byte[]> get(String name) throws IOException {
        try (InputStream in = store.get(key(name))) {
            byte[] content = in.readNBytes(MAX_BYTES + 1);
            if (content.length > MAX_BYTES) {
                throw new IOException("signed document " + name + " is larger than " + MAX_BYTES + " bytes");
            }
            return Optional.of(content);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String key(String name) {
        return BlobStore.requireValidKey("signed/" + name);
    }
}
