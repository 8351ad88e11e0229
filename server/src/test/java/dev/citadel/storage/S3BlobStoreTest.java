package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.citadel.platform.Secret;
import dev.citadel.storage.store.S3BlobStore;
import dev.citadel.support.S3ProxyServer;

/** The S3 store against a real S3-compatible server (s3proxy on loopback), shared-bucket mode. */
class S3BlobStoreTest extends BlobStoreContract {

    static StorageProperties.S3 config(String bucket, String template) {
        S3ProxyServer server = S3ProxyServer.get();
        return new StorageProperties.S3(server.endpoint(), "us-east-1", bucket, template, S3ProxyServer.ACCESS_KEY,
                Secret.of(S3ProxyServer.SECRET_KEY), true, true, 5);
    }

    @Override
    BlobStore create() {
        return new S3BlobStore(config("citadel-contract", null));
    }

    @Override
    int largeObjectBytes() {
        return 11 * 1024 * 1024;
    }

    @Test
    void aBucketTemplateWithoutTheTenantIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new S3BlobStore(config(null, "citadel-shared")))
                .hasMessageContaining("{tenant}");
    }

    /** Bucket-per-tenant mode puts each tenant's objects in its own bucket and lists them back under the same keys. */
    @Test
    void bucketPerTenantModeKeepsTenantsApart() throws IOException {
        S3BlobStore perTenant = new S3BlobStore(config("citadel-platform", "citadel-{tenant}"));
        perTenant.put("tenants/alpha/model/x/v1", out -> out.write("a".getBytes()));
        perTenant.put("signed/audit-witness/x.json", out -> out.write("w".getBytes()));
        perTenant.put("tenants/beta/model/x/v1", out -> out.write("b".getBytes()));
        assertThat(perTenant.list("tenants/alpha/")).containsExactly("tenants/alpha/model/x/v1");
        try (var in = perTenant.get("tenants/beta/model/x/v1")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("b");
        }
        try (var in = new S3BlobStore(config("citadel-platform", null)).get("signed/audit-witness/x.json")) {
            assertThat(new String(in.readAllBytes())).as("platform objects live in the platform bucket").isEqualTo("w");
        }
    }

    @Test
    void bucketPerTenantModeNeedsAPlatformBucketForThePlatformsOwnObjects() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new S3BlobStore(config(null, "citadel-{tenant}")))
                .hasMessageContaining("CITADEL_S3_BUCKET");
    }
}
