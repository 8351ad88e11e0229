package dev.citadel.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.citadel.platform.Secret;

/**
 * Object storage ({@code citadel.storage.*}): the filesystem under the data directory by default,
 * or an S3-compatible store (AWS S3, MinIO, Ceph, GCS interoperability). Listed in
 * docs/configuration.md.
 */
@ConfigurationProperties("citadel.storage")
public record StorageProperties(
        @DefaultValue("filesystem") Backend backend,
        @DefaultValue S3 s3,
        java.util.Map<String, RegionStore> regions,
        @DefaultValue Replicated replicated) {

    public StorageProperties {
        regions = regions == null ? java.util.Map.of() : java.util.Map.copyOf(regions);
    }

    /**
     * The object store of one region (data residency): every blob of a tenant of that region goes
     * there. {@code directory} for the filesystem backend, {@code s3} for S3.
     */
    public record RegionStore(@DefaultValue("filesystem") Backend backend, String directory, @DefaultValue S3 s3) {}

    /** The object stores Citadel ships; {@code REPLICATED} writes every object to two of the others. */
    public enum Backend { FILESYSTEM, S3, REPLICATED }

    /** When a replicated write is acknowledged. */
    public enum Ack {
        /** Only once both copies are stored; a write fails when either store fails. */
        BOTH,
        /** Once one copy is stored; the missing copy goes on the durable repair queue. */
        ONE
    }

    /**
     * Two object stores holding the same objects ({@code backend: replicated}): reads from the
     * primary with failover to the secondary, and a repair queue and scrubber that keep them equal.
     *
     * @param primary        the store read first, configured like a region's ({@code backend}, {@code directory}, {@code s3})
     * @param secondary      the other copy
     * @param ack            {@code both} (default) or {@code one}
     * @param repairInterval how often the repair queue is drained
     * @param scrubInterval  how often a full comparison of both stores runs (once across replicas)
     */
    public record Replicated(@DefaultValue RegionStore primary, @DefaultValue RegionStore secondary,
            @DefaultValue("both") Ack ack, @DefaultValue("30s") java.time.Duration repairInterval,
            @DefaultValue("24h") java.time.Duration scrubInterval) {}

    /**
     * @param endpoint             e.g. {@code https://s3.eu-west-1.amazonaws.com} or a MinIO URL; empty for AWS defaults
     * @param region               signing region
     * @param bucket               the bucket (shared mode), created when {@code createBucket} and missing
     * @param tenantBucketTemplate optional, e.g. {@code citadel-{tenant}}: one bucket per tenant instead
     * @param pathStyle            path-style addressing (MinIO, Ceph, s3proxy); AWS uses virtual-hosted style
     * @param partSizeMib          multipart part size, at least 5
     */
    public record S3(String endpoint, @DefaultValue("us-east-1") String region, String bucket, String tenantBucketTemplate,
            String accessKey, Secret secretKey, @DefaultValue("false") boolean pathStyle,
            @DefaultValue("false") boolean createBucket, @DefaultValue("8") int partSizeMib) {

        public S3 {
            endpoint = blankToNull(endpoint);
            bucket = blankToNull(bucket);
            tenantBucketTemplate = blankToNull(tenantBucketTemplate);
            accessKey = blankToNull(accessKey);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
