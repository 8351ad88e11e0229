package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.crypto.BlobContext;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;

/**
 * The encrypted blob layer on the embedded default (filesystem store, local keyring): no plaintext
 * on disk, associated data binding blobs to tenant/object/version, tamper detection, quotas,
 * atomic replacement and crypto-shredding.
 */
class EncryptedBlobsTest extends IntegrationTest {

    @Autowired
    EncryptedBlobs blobs;

    @Autowired
    TenantKeys keys;

    private TenantId tenant;
    private TenantId other;

    @BeforeEach
    void tenants() {
        tenant = new TenantId(fx.createTenant("blobs"));
        other = new TenantId(fx.createTenant("blobs-other"));
    }

    @Test
    void aBlobRoundTripsAndItsDigestAndSizesAreRecorded() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 17);
        StoredBlob stored = blobs.write(context(tenant), new ByteArrayInputStream(content));
        assertThat(stored.plaintextBytes()).isEqualTo(content.length);
        assertThat(stored.storedBytes()).isGreaterThan(content.length);
        assertThat(stored.plaintextSha256()).isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        assertThat(blobs.readAllBytes(stored.context())).isEqualTo(content);
        assertThat(stored.storeKey()).matches("tenants/" + tenant.value() + "/report/[0-9a-f-]{36}/v1");
    }

    @Test
    void noPlaintextEverReachesTheDataDirectory() throws IOException {
        String marker = "SSN 078-05-1120 patient Jane Q. Example " + UUID.randomUUID();
        byte[] content = (marker + "\n").repeat(5000).getBytes(StandardCharsets.UTF_8);
        blobs.write(context(tenant), new ByteArrayInputStream(content));
        blobs.write(context(tenant), new ByteArrayInputStream(marker.getBytes(StandardCharsets.UTF_8)));
        assertThat(dev.citadel.support.PlaintextScan.filesContaining(DATA_DIR, marker.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void aBlobCopiedOverAnotherTenantsBlobFailsItsIntegrityCheckAndIsReported() throws IOException {
        BlobContext mine = context(tenant);
        BlobContext theirs = context(other);
        blobs.write(mine, new ByteArrayInputStream("mine".getBytes()));
        blobs.write(theirs, new ByteArrayInputStream("theirs".getBytes()));
        Files.copy(file(theirs), file(mine), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertIntegrityFailure(mine);
        assertThat(audit.latest(tenant, 5)).extracting(e -> e.get("action")).contains("security.integrity_failure");
    }

    @Test
    void aBlobCopiedOverAnotherObjectOrVersionOfTheSameTenantFails() throws IOException {
        BlobContext first = context(tenant);
        BlobContext second = context(tenant);
        BlobContext nextVersion = new BlobContext(tenant, first.kind(), first.objectId(), 2);
        blobs.write(first, new ByteArrayInputStream("first".getBytes()));
        blobs.write(second, new ByteArrayInputStream("second".getBytes()));
        blobs.write(nextVersion, new ByteArrayInputStream("v2".getBytes()));
        Files.copy(file(second), file(first), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(file(first), file(nextVersion), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertIntegrityFailure(first);
        assertIntegrityFailure(nextVersion);
    }

    @Test
    void flippingAnySingleBitOrTruncatingIsDetected() throws IOException {
        byte[] content = random(2 * 1024 * 1024 + 5);
        BlobContext context = context(tenant);
        blobs.write(context, new ByteArrayInputStream(content));
        byte[] original = Files.readAllBytes(file(context));
        for (int position : new int[] {0, 5, 40, original.length / 2, original.length - 1}) {
            byte[] tampered = original.clone();
            tampered[position] ^= 0x01;
            Files.write(file(context), tampered);
            assertIntegrityFailure(context);
        }
        Files.write(file(context), java.util.Arrays.copyOf(original, original.length - 100));
        assertIntegrityFailure(context);
        Files.write(file(context), original);
        assertThat(blobs.readAllBytes(context)).isEqualTo(content);
    }

    @Test
    void aFlippedBitInAWrappedKeysetIsDetected() {
        BlobContext context = context(tenant);
        blobs.write(context, new ByteArrayInputStream("x".getBytes()));
        transactions.inTenant(tenant, () -> {
            byte[] wrapped = jdbc.sql("select wrapped_keyset from tenant_keysets where tenant_id = ? and purpose = 'blobs'")
                    .param(tenant.value()).query(byte[].class).single();
            wrapped[wrapped.length / 2] ^= 0x10;
            jdbc.sql("update tenant_keysets set wrapped_keyset = ?, generation = generation + 1 where tenant_id = ? "
                    + "and purpose = 'blobs'").param(wrapped).param(tenant.value()).update();
        });
        assertThatThrownBy(() -> blobs.readAllBytes(context)).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CRYPTO_DECRYPTION_FAILED));
        assertThat(audit.latest(tenant, 3)).extracting(e -> e.get("action")).contains("security.key_integrity_failure");
    }

    @Test
    void aWriteOverTheQuotaStoresNothing() {
        String small = smallTenant();
        TenantId limited = new TenantId(small);
        BlobContext context = context(limited);
        assertThatThrownBy(() -> blobs.write(context, new ByteArrayInputStream(random(300_000))))
                .isInstanceOfSatisfying(CitadelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED));
        assertThat(blobs.find(context)).isEmpty();
        assertThat(Files.exists(file(context))).isFalse();
        blobs.write(context(limited), new ByteArrayInputStream(random(50_000)));
        assertThat(blobs.storedBytes(limited)).isBetween(50_000L, 100_000L);
    }

    @Test
    void anInterruptedUploadLeavesThePreviousContent() {
        BlobContext context = context(tenant);
        blobs.write(context, new ByteArrayInputStream("the previous content".getBytes()));
        InputStream breaking = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ > 2_000_000) {
                    throw new IOException("client went away");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> blobs.write(context, breaking)).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_INTERRUPTED));
        assertThat(new String(blobs.readAllBytes(context))).isEqualTo("the previous content");
    }

    @Test
    void destroyingTheTenantsKeysMakesItsDataUnrecoverable() throws IOException {
        BlobContext context = context(tenant);
        blobs.write(context, new ByteArrayInputStream("sensitive".getBytes()));
        byte[] ciphertext = Files.readAllBytes(file(context));
        keys.destroy(tenant);

        assertThatThrownBy(() -> blobs.readAllBytes(context)).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_KEYS_DESTROYED));
        assertThatThrownBy(() -> blobs.write(context(tenant), new ByteArrayInputStream("new".getBytes())))
                .isInstanceOfSatisfying(CitadelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_KEYS_DESTROYED));
        long wrappedKeysets = transactions.inTenant(tenant, () -> jdbc.sql(
                "select count(*) from tenant_keysets where tenant_id = ?").param(tenant.value()).query(Long.class).single());
        assertThat(wrappedKeysets).as("nothing left for the KEK to unwrap").isZero();
        assertThat(keys.list(tenant)).allSatisfy(k -> assertThat(k.status()).isEqualTo("destroyed"));
        // the bytes on disk do not decrypt with any keyset that still exists
        BlobContext foreign = context(other);
        blobs.write(foreign, new ByteArrayInputStream("placeholder".getBytes()));
        Files.write(file(foreign), ciphertext);
        assertIntegrityFailure(foreign);
    }

    @Test
    void anotherTenantsAdminCannotListOrRotateKeys() {
        String admin = fx.token(fx.member(other.value(), "tenant-admin"));
        assertThat(api.get("/api/v1/tenants/" + tenant.value() + "/keys", admin).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/tenants/" + tenant.value() + "/keys/rotation", admin, "{}").status()).isEqualTo(404);
    }

    private String smallTenant() {
        String id = dev.citadel.support.Fixtures.unique("tiny");
        Api.Response created = api.post("/api/v1/tenants", fx.adminToken(), Api.json("id", id, "name", "tiny", "region",
                "eu-west-1", "quotas", Api.json("storageBytes", 120_000, "trainingConcurrency", 1, "predictionsPerDay", 10)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return id;
    }

    private void assertIntegrityFailure(BlobContext context) {
        assertThatThrownBy(() -> blobs.readAllBytes(context)).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_INTEGRITY_FAILED));
    }

    private static BlobContext context(TenantId tenant) {
        return new BlobContext(tenant, BlobContext.BlobKind.REPORT, UUID.randomUUID(), 1);
    }

    private static Path file(BlobContext context) {
        return DATA_DIR.resolve("blobs").resolve(EncryptedBlobs.storeKey(context));
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
