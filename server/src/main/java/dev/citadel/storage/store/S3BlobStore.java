package dev.citadel.storage.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.citadel.storage.BlobStore;
import dev.citadel.storage.StorageProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in an S3-compatible object store (AWS SDK v2). Objects up to one part are a single PUT;
 * larger ones a multipart upload completed only after the last part, and aborted on any failure —
 * either way a reader sees the old object or the complete new one. With a tenant bucket template,
 * each tenant's objects live in a bucket of their own so per-tenant storage policies apply.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    private static final String TENANT_PREFIX = "tenants/";

    private final S3Client s3;
    private final StorageProperties.S3 config;
    private final int partSize;
    private final java.util.Set<String> knownBuckets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public S3BlobStore(StorageProperties.S3 config) {
        List<String> problems = new ArrayList<>();
        if ((config.bucket() == null || config.bucket().isBlank())
                && (config.tenantBucketTemplate() == null || config.tenantBucketTemplate().isBlank())) {
            problems.add("citadel.storage.s3.bucket (CITADEL_S3_BUCKET) or tenant-bucket-template must be set");
        }
        if (config.partSizeMib() < 5 || config.partSizeMib() > 512) {
            problems.add("citadel.storage.s3.part-size-mib must be between 5 and 512");
        }
        if (config.tenantBucketTemplate() != null && !config.tenantBucketTemplate().contains("{tenant}")) {
            problems.add("citadel.storage.s3.tenant-bucket-template must contain {tenant}");
        }
        if (config.tenantBucketTemplate() != null && (config.bucket() == null || config.bucket().isBlank())) {
            problems.add("citadel.storage.s3.bucket (CITADEL_S3_BUCKET) must be set in bucket-per-tenant mode too: it holds "
                    + "the platform's own objects (the audit trail's witness checkpoints)");
        }
        if ((config.accessKey() == null) != (config.secretKey() == null)) {
            problems.add("citadel.storage.s3.access-key and secret-key go together");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid S3 configuration: " + String.join("; ", problems));
        }
        this.config = config;
        this.partSize = config.partSizeMib() * 1024 * 1024;
        var builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(config.accessKey() != null
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(),
                                config.secretKey().reveal()))
                        : DefaultCredentialsProvider.builder().build());
        if (config.endpoint() != null && !config.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        this.s3 = builder.build();
        if (config.bucket() != null && !config.bucket().isBlank()) {
            ensureBucket(config.bucket());
        }
    }

    @Override
    public void put(String key, Content content) throws IOException {
        Location location = locate(key);
        try (MultipartOutputStream out = new MultipartOutputStream(location)) {
            content.writeTo(out);
            out.complete();
        } catch (SdkException e) {
            throw new IOException("object store write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        Location location = locate(key);
        try {
            return s3.getObject(r -> r.bucket(location.bucket()).key(location.key()));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw new IOException("object store read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        Location location = locate(key);
        try {
            s3.headObject(r -> r.bucket(location.bucket()).key(location.key()));
            return true;
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("object store request failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Location location = locate(key);
        try {
            s3.deleteObject(r -> r.bucket(location.bucket()).key(location.key()));
        } catch (NoSuchBucketException e) {
            // nothing to delete
        } catch (SdkException e) {
            throw new IOException("object store delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        if (config.tenantBucketTemplate() != null && prefix.indexOf('/', TENANT_PREFIX.length()) < 0) {
            throw new IllegalArgumentException("in bucket-per-tenant mode, list one tenant at a time (tenants/<tenant>/)");
        }
        Location location = locate(prefix.isEmpty() ? TENANT_PREFIX : prefix);
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.key())).contents()) {
                keys.add(location.keyPrefixRemoved() + object.key());
            }
        } catch (NoSuchBucketException e) {
            return List.of();
        } catch (SdkException e) {
            throw new IOException("object store list failed: " + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public String description() {
        return "s3 (" + (config.endpoint() == null ? "AWS" : config.endpoint()) + ", "
                + (config.tenantBucketTemplate() != null ? "bucket per tenant " + config.tenantBucketTemplate()
                        : "bucket " + config.bucket()) + ")";
    }

    @Override
    public void close() {
        s3.close();
    }

    private record Location(String bucket, String key, String keyPrefixRemoved) {}

    /**
     * Shared bucket: the key as is. Bucket per tenant: {@code tenants/<t>/rest} → bucket(t), {@code rest};
     * any other key (the platform's own objects) → the configured bucket, as is.
     */
    private Location locate(String key) {
        if (!key.isEmpty() && !key.endsWith("/")) {
            BlobStore.requireValidKey(key);
        } else if (!key.isEmpty()) {
            BlobStore.requireValidKey(key.substring(0, key.length() - 1));
        }
        String template = config.tenantBucketTemplate();
        if (template == null || template.isBlank()) {
            return new Location(config.bucket(), key, "");
        }
        if (!key.startsWith(TENANT_PREFIX)) {
            return new Location(config.bucket(), key, ""); // the platform's own objects
        }
        if (key.indexOf('/', TENANT_PREFIX.length()) < 0) {
            throw new IllegalArgumentException("keys must be tenant-scoped in bucket-per-tenant mode");
        }
        int slash = key.indexOf('/', TENANT_PREFIX.length());
        String tenant = key.substring(TENANT_PREFIX.length(), slash);
        String bucket = template.replace("{tenant}", tenant);
        if (config.createBucket() && !knownBuckets.contains(bucket)) {
            ensureBucket(bucket);
            knownBuckets.add(bucket);
        }
        return new Location(bucket, key.substring(slash + 1), key.substring(0, slash + 1));
    }

    private void ensureBucket(String bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException e) {
            if (!config.createBucket()) {
                throw new IllegalStateException("The bucket " + bucket + " does not exist (set create-bucket to create it)");
            }
            s3.createBucket(r -> r.bucket(bucket));
            log.info("Created bucket {}", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404 || !config.createBucket()) {
                throw new IllegalStateException("Cannot reach the bucket " + bucket + ": " + e.getMessage(), e);
            }
            s3.createBucket(r -> r.bucket(bucket));
        }
    }

    /** Buffers one part; uploads parts as they fill; the upload exists only once completed. */
    private final class MultipartOutputStream extends OutputStream {
        private final Location location;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;
        private boolean completed;

        MultipartOutputStream(Location location) {
            this.location = location;
        }

        @Override
        public void write(int b) throws IOException {
            buffer.write(b);
            flushPartIfFull();
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                int room = partSize - buffer.size();
                int n = Math.min(room, length);
                buffer.write(bytes, offset, n);
                offset += n;
                length -= n;
                flushPartIfFull();
            }
        }

        @Override
        public void flush() {
            // parts are uploaded when full; nothing is visible before complete()
        }

        private void flushPartIfFull() {
            if (buffer.size() >= partSize) {
                uploadPart();
            }
        }

        private void uploadPart() {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(r -> r.bucket(location.bucket()).key(location.key())).uploadId();
            }
            int number = parts.size() + 1;
            byte[] bytes = buffer.toByteArray();
            buffer.reset();
            String etag = s3.uploadPart(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId)
                    .partNumber(number), RequestBody.fromBytes(bytes)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }

        void complete() {
            if (uploadId == null) {
                byte[] bytes = buffer.toByteArray();
                s3.putObject(r -> r.bucket(location.bucket()).key(location.key()).contentLength((long) bytes.length),
                        RequestBody.fromBytes(bytes));
            } else {
                if (buffer.size() > 0) {
                    uploadPart();
                }
                s3.completeMultipartUpload(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            }
            completed = true;
        }

        @Override
        public void close() {
            if (!completed && uploadId != null) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
                } catch (SdkException e) {
                    log.warn("Could not abort an incomplete multipart upload: {}", e.getMessage());
                }
            }
        }
    }
}
