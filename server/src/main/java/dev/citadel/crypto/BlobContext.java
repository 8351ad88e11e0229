package dev.citadel.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

import dev.citadel.platform.TenantId;

/**
 * What a blob is: whose, what kind, which object, which version. Its canonical encoding is the
 * associated data of the blob's encryption (pinned by a golden test), so a ciphertext copied over
 * another tenant's, object's or version's blob fails to decrypt.
 */
public record BlobContext(TenantId tenant, BlobKind kind, UUID objectId, int version) {

    public BlobContext {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(objectId, "objectId");
        if (version < 1) {
            throw new IllegalArgumentException("blob versions start at 1");
        }
        if (tenant.isPlatform()) {
            throw new IllegalArgumentException("blobs belong to tenants");
        }
    }

    /** {@code "citadel-blob-v1" 0x00 tenant 0x00 kind 0x00 objectId 0x00 version} in UTF-8. */
    public byte[] associatedData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[] {"citadel-blob-v1", tenant.value(), kind.wireName(), objectId.toString(),
            Integer.toString(version)}) {
            if (out.size() > 0) {
                out.write(0);
            }
            out.writeBytes(field.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** The kinds of blob; the name appears in storage keys, never user-supplied names. */
    public enum BlobKind {
        DATASET("dataset"),
        MODEL("model"),
        REPORT("report"),
        RESULT("result"),
        BACKUP("backup");

        private final String wireName;

        BlobKind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static BlobKind fromWireName(String name) {
            for (BlobKind kind : values()) {
                if (kind.wireName.equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown blob kind");
        }
    }
}
