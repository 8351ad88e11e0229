package dev.citadel.storage;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import dev.citadel.crypto.BlobContext;

/**
 * A stored blob's registry record.
 *
 * @param plaintextBytes  size before encryption
 * @param storedBytes     size of the ciphertext in the object store
 * @param plaintextSha256 digest of the content (what the owner wrote)
 * @param keyId           the tenant key that encrypted it
 */
public record StoredBlob(BlobContext context, String storeKey, long plaintextBytes, long storedBytes,
        byte[] plaintextSha256, long keyId, Instant createdAt) {

    public String sha256Hex() {
        return HexFormat.of().formatHex(plaintextSha256);
    }

    public UUID objectId() {
        return context.objectId();
    }
}
