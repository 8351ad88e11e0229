package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

import dev.citadel.crypto.BlobContext;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.storage.ReplicatedBlobStoreTest.Outage;
import dev.citadel.storage.StorageProperties.Ack;
import dev.citadel.storage.store.FilesystemBlobStore;
import dev.citadel.storage.store.ReplicatedBlobStore;
import dev.citadel.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The repair queue and the scrubber with real encrypted blobs, the real registry and database, over
 * a replicated store of two filesystem stores (the suite's own store is not replicated, so this
 * test builds the blob layer over one of its own): a copy missing after an ack=one write, a read
 * failover, missing and divergent copies found by a scrub, a copy that fails its integrity check,
 * and a deleted blob that must stay deleted.
 */
class ReplicaRepairsTest extends IntegrationTest {

    @Autowired
    BlobRegistry registry;

    @Autowired
    TenantKeys keys;

    @Autowired
    StorageQuota quota;

    @Autowired
    ApplicationEventPublisher springEvents;

    @Autowired
    MeterRegistry meters;

    @TempDir
    Path root;

    Outage primary;
    Outage secondary;
    ReplicaRepairs repairs;
    EncryptedBlobs blobs;
    TenantId tenant;

    @BeforeEach
    void replicatedBlobLayer() {
        jdbc.sql("delete from blob_replica_repairs").update();
        tenant = new TenantId(fx.createTenant("replicas"));
        build(Ack.BOTH);
    }

    private void build(Ack ack) {
        primary = new Outage(new FilesystemBlobStore(root.resolve("primary")));
        secondary = new Outage(new FilesystemBlobStore(root.resolve("secondary")));
        ReplicatedBlobStore store = new ReplicatedBlobStore(primary, secondary, ack, ReplicatedBlobStore.Listener.NONE);
        StorageProperties properties = new StorageProperties(StorageProperties.Backend.REPLICATED, null, null,
                new StorageProperties.Replicated(null, null, ack, java.time.Duration.ofSeconds(30),
                        java.time.Duration.ofHours(24)));
        ApplicationEventPublisher events = event -> {
            if (event instanceof IntegrityFailure failure && repairs != null) {
                repairs.on(failure);
            }
            springEvents.publishEvent(event);
        };
        repairs = new ReplicaRepairs(store, jdbc, transactions, registry, keys, clock, events, properties, meters);
        blobs = new EncryptedBlobs(store, registry, keys, quota, transactions, clock, events);
    }

    @Test
    void withAckOneAWriteWhileTheSecondaryIsDownIsQueuedAndRepairedWhenItIsBack() throws IOException {
        build(Ack.ONE);
        secondary.down = true;
        byte[] content = "rows of a dataset\n".repeat(100_000).getBytes();
        StoredBlob blob = blobs.write(context(), new ByteArrayInputStream(content));
        assertThat(repairs.queueLength()).isEqualTo(1);

        ReplicaRepairs.Report stillDown = repairs.drainQueue();
        assertThat(stillDown.unavailable()).isEqualTo(1);
        assertThat(repairs.queueLength()).as("kept for a later attempt").isEqualTo(1);

        secondary.down = false;
        clock.advance(java.time.Duration.ofMinutes(2));
        ReplicaRepairs.Report repaired = repairs.drainQueue();
        assertThat(repaired.repaired()).isEqualTo(1);
        assertThat(repairs.queueLength()).isZero();
        assertThat(bytes(secondary, blob)).isEqualTo(bytes(primary, blob));

        primary.down = true;
        assertThat(blobs.readAllBytes(blob.context())).as("the repaired copy serves reads").isEqualTo(content);
    }

    @Test
    void aReadOfABlobMissingOnThePrimaryIsServedByTheSecondaryAndThePrimaryRepaired() throws IOException {
        StoredBlob blob = blobs.write(context(), new ByteArrayInputStream("content".getBytes()));
        primary.delete(blob.storeKey());
        assertThat(blobs.readAllBytes(blob.context())).isEqualTo("content".getBytes());
        assertThat(repairs.queueLength()).isEqualTo(1);
        assertThat(repairs.drainQueue().repaired()).isEqualTo(1);
        assertThat(primary.exists(blob.storeKey())).isTrue();
    }

    @Test
    void aScrubRepairsMissingAndDivergentCopiesFromTheCopyThatMatchesTheRegistry() throws IOException {
        StoredBlob missing = blobs.write(context(), new ByteArrayInputStream("one".getBytes()));
        StoredBlob badPrimary = blobs.write(context(), new ByteArrayInputStream("two".getBytes()));
        StoredBlob badSecondary = blobs.write(context(), new ByteArrayInputStream("three".getBytes()));
        StoredBlob fine = blobs.write(context(), new ByteArrayInputStream("four".getBytes()));
        secondary.delete(missing.storeKey());
        flipAByte(root.resolve("primary"), badPrimary);
        flipAByte(root.resolve("secondary"), badSecondary);

        ReplicaRepairs.Report report = repairs.scrub();
        assertThat(report.checked()).isEqualTo(4);
        assertThat(report.repaired()).isEqualTo(3);
        assertThat(report.unrecoverable()).isZero();
        for (StoredBlob blob : new StoredBlob[] {missing, badPrimary, badSecondary, fine}) {
            assertThat(bytes(primary, blob)).isEqualTo(bytes(secondary, blob));
        }
        assertThat(blobs.readAllBytes(badPrimary.context())).isEqualTo("two".getBytes());
        assertThat(repairs.scrub().repaired()).as("a second scrub finds nothing to do").isZero();
        assertThat(audit.latest(TenantId.PLATFORM, 5)).extracting(e -> e.get("action")).contains("storage.scrub");
    }

    @Test
    void aBlobWithNoGoodCopyIsReportedUnrecoverableAndLeftAlone() throws IOException {
        StoredBlob blob = blobs.write(context(), new ByteArrayInputStream("content".getBytes()));
        flipAByte(root.resolve("primary"), blob, 20);
        flipAByte(root.resolve("secondary"), blob, 30);
        byte[] damaged = bytes(primary, blob);

        ReplicaRepairs.Report report = repairs.scrub();
        assertThat(report.unrecoverable()).isEqualTo(1);
        assertThat(report.unrecoverableKeys()).containsExactly(blob.storeKey());
        assertThat(bytes(primary, blob)).as("left alone").isEqualTo(damaged);
    }

    @Test
    void aCopyThatFailsItsIntegrityCheckIsNeverServedButIsRepairedFromTheOther() {
        StoredBlob blob = blobs.write(context(), new ByteArrayInputStream("content".getBytes()));
        flipAByte(root.resolve("primary"), blob);
        assertThatThrownBy(() -> blobs.readAllBytes(blob.context())).isInstanceOfSatisfying(CitadelException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_INTEGRITY_FAILED));
        assertThat(repairs.queueLength()).isEqualTo(1);
        assertThat(repairs.drainQueue().repaired()).isEqualTo(1);
        assertThat(blobs.readAllBytes(blob.context())).isEqualTo("content".getBytes());
    }

    @Test
    void aDeletedBlobLeftOnTheStoreThatWasDownIsNeverCopiedBackAndItsQueuedDeleteRemovesIt() throws IOException {
        StoredBlob blob = blobs.write(context(), new ByteArrayInputStream("erase me".getBytes()));
        secondary.down = true;
        blobs.delete(blob.context());
        secondary.down = false;
        assertThat(secondary.exists(blob.storeKey())).isTrue();

        ReplicaRepairs.Report scrub = repairs.scrub();
        assertThat(scrub.skipped()).isEqualTo(1);
        assertThat(primary.exists(blob.storeKey())).as("not resurrected").isFalse();

        assertThat(repairs.drainQueue().repaired()).isEqualTo(1);
        assertThat(secondary.exists(blob.storeKey())).isFalse();
    }

    @Test
    void aScrubIsForPlatformAdministratorsAndNeedsAReplicatedStore() {
        var admin = api.post("/api/v1/platform/storage/scrub", fx.adminToken(), null);
        assertThat(admin.status()).isEqualTo(409);
        assertThat(admin.code()).isEqualTo("storage.not_replicated");
        String tenantAdmin = fx.token(fx.member(tenant.value(), "tenant-admin"));
        assertThat(api.post("/api/v1/platform/storage/scrub", tenantAdmin, null).status()).isEqualTo(403);
    }

    private BlobContext context() {
        return new BlobContext(tenant, BlobContext.BlobKind.DATASET, UUID.randomUUID(), 1);
    }

    private static byte[] bytes(BlobStore store, StoredBlob blob) throws IOException {
        return ReplicatedBlobStoreTest.read(store, blob.storeKey());
    }

    private static void flipAByte(Path storeRoot, StoredBlob blob) {
        flipAByte(storeRoot, blob, 20);
    }

    private static void flipAByte(Path storeRoot, StoredBlob blob, int fromEnd) {
        try {
            Path file = storeRoot.resolve(blob.storeKey());
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - fromEnd] ^= 0x01;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
