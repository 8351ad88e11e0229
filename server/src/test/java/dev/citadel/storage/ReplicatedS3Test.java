package dev.citadel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

import dev.citadel.crypto.BlobContext;
import dev.citadel.crypto.TenantKeys;
import dev.citadel.platform.Secret;
import dev.citadel.platform.TenantId;
import dev.citadel.storage.StorageProperties.Ack;
import dev.citadel.storage.store.ReplicatedBlobStore;
import dev.citadel.storage.store.S3BlobStore;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.S3ProxyServer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Two S3-compatible servers (two s3proxy processes), one of them stopped mid-run: uploads keep
 * succeeding with ack=one while the secondary is down, reads keep working, reads fail over to the
 * secondary while the primary is down, and once both are back the repair queue and a scrub leave
 * both stores with the same objects.
 */
class ReplicatedS3Test extends IntegrationTest {

    @Autowired
    BlobRegistry registry;

    @Autowired
    TenantKeys keys;

    @Autowired
    StorageQuota quota;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    MeterRegistry meters;

    S3ProxyServer first;
    S3ProxyServer second;
    ReplicatedBlobStore store;
    ReplicaRepairs repairs;
    EncryptedBlobs blobs;
    TenantId tenant;

    @BeforeEach
    void twoStores() {
        jdbc.sql("delete from blob_replica_repairs").update();
        tenant = new TenantId(fx.createTenant("replicated-s3"));
        first = S3ProxyServer.startPrivate();
        second = S3ProxyServer.startPrivate();
        store = new ReplicatedBlobStore(new S3BlobStore(config(first)), new S3BlobStore(config(second)), Ack.ONE,
                ReplicatedBlobStore.Listener.NONE);
        StorageProperties properties = new StorageProperties(StorageProperties.Backend.REPLICATED, null, null,
                new StorageProperties.Replicated(null, null, Ack.ONE, java.time.Duration.ofSeconds(30),
                        java.time.Duration.ofHours(24)));
        repairs = new ReplicaRepairs(store, jdbc, transactions, registry, keys, clock, events, properties, meters);
        blobs = new EncryptedBlobs(store, registry, keys, quota, transactions, clock, events);
    }

    @AfterEach
    void stopStores() {
        first.stop();
        second.stop();
    }

    @Test
    void oneStoreStoppedMidRunThenTheOtherAndTheCopiesAreEqualAgainAfterwards() throws Exception {
        Map<BlobContext, byte[]> written = new ConcurrentHashMap<>();
        double failoversBefore = meters.counter("citadel.storage.replica.failovers").count();

        // uploads run while the secondary is stopped under them
        CountDownLatch twoStored = new CountDownLatch(2);
        Future<?> uploads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
            for (int i = 0; i < 6; i++) {
                BlobContext context = context();
                byte[] content = content(6 * 1024 * 1024 + i);
                blobs.write(context, new ByteArrayInputStream(content));
                written.put(context, content);
                twoStored.countDown();
            }
            return null;
        });
        assertThat(twoStored.await(120, TimeUnit.SECONDS)).isTrue();
        second.stop();
        uploads.get(300, TimeUnit.SECONDS);
        assertThat(written).hasSize(6);
        assertThat(repairs.queueLength()).as("the uploads the secondary missed").isPositive();
        for (var entry : written.entrySet()) {
            assertThat(blobs.readAllBytes(entry.getKey())).isEqualTo(entry.getValue());
        }

        // the secondary is back: the queue fills it in
        second.restart();
        clock.advance(java.time.Duration.ofMinutes(10));
        ReplicaRepairs.Report drained = repairs.drainQueue();
        assertThat(drained.repaired()).isPositive();
        assertThat(drained.unrecoverable()).isZero();
        assertThat(repairs.queueLength()).isZero();

        // the primary stops: reads fail over, uploads go to the secondary alone
        first.stop();
        for (var entry : written.entrySet()) {
            assertThat(blobs.readAllBytes(entry.getKey())).isEqualTo(entry.getValue());
        }
        assertThat(meters.counter("citadel.storage.replica.failovers").count()).isGreaterThan(failoversBefore);
        BlobContext late = context();
        byte[] lateContent = content(1234);
        blobs.write(late, new ByteArrayInputStream(lateContent));
        written.put(late, lateContent);

        // both back: a scrub makes the copies equal, and each store alone serves everything
        first.restart();
        ReplicaRepairs.Report scrub = repairs.scrub();
        assertThat(scrub.checked()).isEqualTo(7);
        assertThat(scrub.repaired()).isEqualTo(1);
        assertThat(scrub.unrecoverable()).isZero();
        assertThat(store.primary().list("tenants/" + tenant.value() + "/"))
                .isEqualTo(store.secondary().list("tenants/" + tenant.value() + "/")).hasSize(7);
        second.stop();
        for (var entry : written.entrySet()) {
            assertThat(blobs.readAllBytes(entry.getKey())).as("from the primary alone").isEqualTo(entry.getValue());
        }
        second.restart();
        first.stop();
        List<String> fromSecondary = new ArrayList<>();
        for (var entry : written.entrySet()) {
            assertThat(blobs.readAllBytes(entry.getKey())).as("from the secondary alone").isEqualTo(entry.getValue());
            fromSecondary.add(entry.getKey().objectId().toString());
        }
        assertThat(fromSecondary).hasSize(7);
        first.restart(); // stopped again after the test
    }

    private BlobContext context() {
        return new BlobContext(tenant, BlobContext.BlobKind.DATASET, UUID.randomUUID(), 1);
    }

    private static byte[] content(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static StorageProperties.S3 config(S3ProxyServer server) {
        return new StorageProperties.S3(server.endpoint(), "us-east-1", "citadel-replica", null, S3ProxyServer.ACCESS_KEY,
                Secret.of(S3ProxyServer.SECRET_KEY), true, true, 5);
    }
}
