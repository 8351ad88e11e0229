package dev.citadel.storage;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;

import com.google.crypto.tink.StreamingAead;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import dev.citadel.crypto.BlobContext;
import dev.citadel.crypto.KeyPurpose;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * The only way features store and load blobs: streaming encryption with the tenant's blob keyset
 * (Tink AES-256-GCM-HKDF, 1 MiB segments, so any size in constant memory), associated data from
 * the {@link BlobContext}, atomic writes, quota enforcement, and a registry of what exists. Hashing
 * and encryption run on the caller's thread while a second thread stores the ciphertext
 * ({@link PipelinedWriter}).
 *
 * <p>Security guarantees: plaintext never reaches the object store; a blob that fails
 * authenticated decryption — modified, truncated, swapped with another object's or tenant's — is
 * refused with {@code storage.integrity_failed} and an {@link IntegrityFailure} security event;
 * after the tenant's keys are destroyed nothing can be read. A write that would exceed the tenant's
 * storage quota stops and stores nothing. Writes hold no database transaction while streaming.
 */
@Service
public class EncryptedBlobs {

    private static final int BUFFER = 256 * 1024;

    private final BlobStore store;
    private final BlobRegistry registry;
    private final TenantKeys keys;
    private final StorageQuota quota;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    EncryptedBlobs(BlobStore store, BlobRegistry registry, TenantKeys keys, StorageQuota quota,
            TenantTransactions transactions, Clock clock, ApplicationEventPublisher events) {
        this.store = store;
        this.registry = registry;
        this.keys = keys;
        this.quota = quota;
        this.transactions = transactions;
        this.clock = clock;
        this.events = events;
    }

    /** Encrypts {@code plaintext} into the object store under {@code context}, replacing any earlier content. */
    public StoredBlob write(BlobContext context, InputStream plaintext) {
        return write(context, out -> {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = readPlaintext(plaintext, buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        });
    }

    /**
     * Encrypts what {@code producer} writes into the object store under {@code context}. Anything
     * the producer throws aborts the write — nothing is stored — and reaches the caller unchanged
     * when it is a {@link CitadelException}.
     */
    public StoredBlob write(BlobContext context, BlobStore.Content producer) {
        TenantId tenant = context.tenant();
        long limit = quota.limitBytes(tenant);
        long used = transactions.inTenant(tenant, () -> registry.storedBytes(tenant)
                - registry.find(context).map(StoredBlob::storedBytes).orElse(0L));
        if (used >= limit) {
            throw quotaExceeded();
        }
        TenantKeys.BlobCipher cipher = keys.blobCipher(tenant);
        StreamingAead aead = cipher.aead();
        long keyId = cipher.primaryKeyId();
        MessageDigest sha256 = sha256();
        long[] plaintextBytes = {0};
        Counting counted = new Counting(limit - used);
        String storeKey = storeKey(context);
        try {
            PipelinedWriter.put(store, storeKey, out -> {
                counted.target = out;
                try (OutputStream encrypting = aead.newEncryptingStream(counted, context.associatedData())) {
                    producer.writeTo(new FilterOutputStream(encrypting) {
                        @Override
                        public void write(int b) throws IOException {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            sha256.update(b, off, len);
                            plaintextBytes[0] += len;
                            encrypting.write(b, off, len);
                        }

                        @Override
                        public void close() {
                            // the blob layer closes the encrypting stream itself
                        }
                    });
                } catch (GeneralSecurityException e) {
                    throw new IOException("encryption setup failed", e);
                }
            });
        } catch (IOException e) {
            throw translateWriteFailure(e);
        }
        StoredBlob blob = new StoredBlob(context, storeKey, plaintextBytes[0], counted.count, sha256.digest(), keyId,
                clock.instant());
        transactions.inTenant(tenant, () -> registry.upsert(blob));
        return blob;
    }

    /**
     * Opens a blob for reading, decrypting as it streams. The first segment is authenticated before
     * this returns, so a swapped or corrupted blob fails here with {@code storage.integrity_failed}
     * rather than after a response has started; later corruption surfaces as an {@link IOException}.
     */
    public InputStream read(BlobContext context) {
        TenantId tenant = context.tenant();
        StoredBlob blob = transactions.inTenant(tenant, () -> registry.find(context))
                .orElseThrow(() -> new CitadelException(ErrorCode.STORAGE_NOT_FOUND, "No such stored object."));
        StreamingAead aead = keys.blobs(tenant);
        InputStream raw;
        try {
            raw = new StoreStream(store.get(blob.storeKey()));
        } catch (NoSuchFileException e) {
            throw integrityFailure(context, "object missing from the store");
        } catch (IOException e) {
            throw new CitadelException(ErrorCode.STORAGE_UNAVAILABLE, "The object store is unavailable.", e);
        }
        try {
            BufferedInputStream verified = new BufferedInputStream(
                    new Verifying(aead.newDecryptingStream(raw, context.associatedData()), context), BUFFER);
            verified.mark(1);
            verified.read();
            verified.reset();
            return verified;
        } catch (IntegrityException e) {
            closeQuietly(raw);
            throw new CitadelException(ErrorCode.STORAGE_INTEGRITY_FAILED,
                    "The stored object failed its integrity check and was not returned.", e);
        } catch (IOException | GeneralSecurityException e) {
            closeQuietly(raw);
            throw new CitadelException(ErrorCode.STORAGE_UNAVAILABLE, "The object store is unavailable.", e);
        }
    }

    /** Reads a whole (small) blob into memory. */
    public byte[] readAllBytes(BlobContext context) {
        try (InputStream in = read(context)) {
            return in.readAllBytes();
        } catch (IntegrityException e) {
            throw new CitadelException(ErrorCode.STORAGE_INTEGRITY_FAILED,
                    "The stored object failed its integrity check and was not returned.", e);
        } catch (IOException e) {
            throw new CitadelException(ErrorCode.STORAGE_UNAVAILABLE, "The object store is unavailable.", e);
        }
    }

    public java.util.Optional<StoredBlob> find(BlobContext context) {
        return transactions.inTenant(context.tenant(), () -> registry.find(context));
    }

    public List<StoredBlob> list(TenantId tenant) {
        return transactions.inTenant(tenant, () -> registry.list(tenant));
    }

    public long storedBytes(TenantId tenant) {
        return transactions.inTenant(tenant, () -> registry.storedBytes(tenant));
    }

    /** Forgets the blob first, then removes the object, so a crash in between leaves an orphan, never a dangling entry. */
    public void delete(BlobContext context) {
        transactions.inTenant(context.tenant(), () -> registry.delete(context));
        try {
            store.delete(storeKey(context));
        } catch (IOException e) {
            throw new CitadelException(ErrorCode.STORAGE_UNAVAILABLE, "The object store is unavailable.", e);
        }
    }

    /**
     * Removes every object of a tenant from the object store (whole-tenant erasure, after its keys
     * were destroyed); answers how many there were. The registry's rows go with the tenant's rows.
     */
    public int deleteAll(TenantId tenant) {
        try {
            List<String> keys = store.list("tenants/" + tenant.value() + "/");
            for (String key : keys) {
                store.delete(key);
            }
            return keys.size();
        } catch (IOException e) {
            throw new CitadelException(ErrorCode.STORAGE_UNAVAILABLE, "The object store is unavailable.", e);
        }
    }

    /** Re-encrypts one blob with the tenant's current primary key (same context, atomic replace). */
    StoredBlob reencrypt(StoredBlob blob) {
        try (InputStream plaintext = read(blob.context())) {
            return write(blob.context(), plaintext);
        } catch (IOException e) {
            throw new CitadelException(ErrorCode.STORAGE_UNAVAILABLE, "The object store is unavailable.", e);
        }
    }

    List<StoredBlob> needingReencryption(TenantId tenant) {
        long primary = keys.primaryKeyId(tenant, KeyPurpose.BLOBS);
        return transactions.inTenant(tenant, () -> registry.notEncryptedWith(tenant, primary));
    }

    /** {@code tenants/<tenant>/<kind>/<object id>/v<version>}: identifiers only, never names. */
    static String storeKey(BlobContext context) {
        return "tenants/" + context.tenant().value() + "/" + context.kind().wireName() + "/" + context.objectId()
                + "/v" + context.version();
    }

    private CitadelException integrityFailure(BlobContext context, String reason) {
        events.publishEvent(new IntegrityFailure(context.tenant(), context.kind(), context.objectId(), context.version(),
                reason));
        return new CitadelException(ErrorCode.STORAGE_INTEGRITY_FAILED,
                "The stored object failed its integrity check and was not returned.");
    }

    private static int readPlaintext(InputStream in, byte[] buffer) throws IOException {
        try {
            return in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new PlaintextException(e);
        }
    }

    private CitadelException translateWriteFailure(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CitadelException citadel) {
                return citadel;
            }
            if (cause instanceof QuotaException) {
                return quotaExceeded();
            }
            if (cause instanceof PlaintextException) {
                return new CitadelException(ErrorCode.UPLOAD_INTERRUPTED, "The upload ended early; nothing was stored.",
                        cause);
            }
        }
        return new CitadelException(ErrorCode.STORAGE_UNAVAILABLE, "The object store is unavailable; nothing was stored.",
                e);
    }

    private static CitadelException quotaExceeded() {
        return new CitadelException(ErrorCode.QUOTA_EXCEEDED,
                "This would exceed the tenant's storage quota; nothing was stored.");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    /** Counts ciphertext bytes, refuses to pass the quota, and never closes the store's stream. */
    private static final class Counting extends FilterOutputStream {
        private final long allowed;
        private long count;
        private OutputStream target;

        Counting(long allowed) {
            super(null);
            this.allowed = allowed;
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            target.write(b, off, len);
        }

        private void check(int n) throws IOException {
            count += n;
            if (count > allowed) {
                throw new QuotaException();
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() throws IOException {
            target.flush();
        }
    }

    /** Tags failures of the object store itself, to tell them from failed authentication. */
    private static final class StoreStream extends FilterInputStream {
        StoreStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new StoreException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new StoreException(e);
            }
        }
    }

    /** Turns decryption failures into {@link IntegrityException} and a security event. */
    private final class Verifying extends FilterInputStream {
        private final BlobContext context;
        private boolean reported;

        Verifying(InputStream decrypting, BlobContext context) {
            super(decrypting);
            this.context = context;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                if (isStoreFailure(e)) {
                    throw e;
                }
                if (!reported) {
                    reported = true;
                    events.publishEvent(new IntegrityFailure(context.tenant(), context.kind(), context.objectId(),
                            context.version(), "authenticated decryption failed"));
                }
                throw new IntegrityException(e);
            }
        }

        private boolean isStoreFailure(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof StoreException) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A blob failed authenticated decryption. */
    public static final class IntegrityException extends IOException {
        IntegrityException(Throwable cause) {
            super("stored object failed its integrity check", cause);
        }
    }

    private static final class StoreException extends IOException {
        StoreException(Throwable cause) {
            super(cause);
        }
    }

    private static final class QuotaException extends IOException {
        QuotaException() {
            super("storage quota exceeded");
        }
    }

    private static final class PlaintextException extends IOException {
        PlaintextException(Throwable cause) {
            super(cause);
        }
    }
}
