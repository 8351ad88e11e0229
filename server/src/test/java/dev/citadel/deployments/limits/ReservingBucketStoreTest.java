package dev.citadel.deployments.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Replicas drawing shared buckets in batches never exceed a limit, and rarely touch the shared row. */
class ReservingBucketStoreTest {

    private final AtomicInteger sharedCalls = new AtomicInteger();
    private final LocalBucketStore rows = new LocalBucketStore();
    /** The shared store as replicas see it (PostgreSQL in production), counting its round trips. */
    private final BucketStore shared = new BucketStore() {
        @Override
        public ConsumptionProbe tryConsume(String key, Supplier<BucketConfiguration> configuration, long tokens) {
            sharedCalls.incrementAndGet();
            return rows.tryConsume(key, configuration, tokens);
        }
    };
    private final AtomicLong now = new AtomicLong();

    /** {@code capacity} tokens that do not refill within the test. */
    private static BucketConfiguration fixed(long capacity) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillIntervally(capacity, Duration.ofDays(1)).build())
                .build();
    }

    @Test
    void twoReplicasTogetherAreAdmittedAtMostTheLimitAndAlmostAllOfIt() {
        ReservingBucketStore a = new ReservingBucketStore(shared, now::get);
        ReservingBucketStore b = new ReservingBucketStore(shared, now::get);
        BucketConfiguration config = fixed(10_000);
        int admitted = 0;
        for (int i = 0; i < 30_000; i++) {
            if ((i % 2 == 0 ? a : b).tryConsume("t:hospital", () -> config, 1).isConsumed()) {
                admitted++;
            }
        }
        // batches of 10 (1/1000 of the capacity): at most a batch per replica left unspent
        assertThat(admitted).isLessThanOrEqualTo(10_000).isGreaterThanOrEqualTo(10_000 - 2 * 9);
        assertThat(sharedCalls.get()).as("one shared round trip per batch, not per request")
                .isLessThan(30_000 / 5);
    }

    @Test
    void aBusyKeyTouchesTheSharedBucketOncePerBatch() {
        ReservingBucketStore replica = new ReservingBucketStore(shared, now::get);
        BucketConfiguration config = fixed(1_000_000);
        for (int i = 0; i < 5_000; i++) {
            assertThat(replica.tryConsume("p:hospital:scorer", () -> config, 1).isConsumed()).isTrue();
        }
        assertThat(sharedCalls.get()).isEqualTo(5_000 / (int) ReservingBucketStore.MAX_BATCH);
    }

    @Test
    void aReserveOlderThanItsHoldIsForfeitedNotSpentLate() {
        ReservingBucketStore replica = new ReservingBucketStore(shared, now::get);
        BucketConfiguration config = fixed(100_000);
        assertThat(replica.tryConsume("k", () -> config, 1).isConsumed()).isTrue();      // takes a batch of 50
        assertThat(replica.tryConsume("k", () -> config, 1).isConsumed()).isTrue();      // from the reserve
        assertThat(sharedCalls.get()).isEqualTo(1);
        now.addAndGet(ReservingBucketStore.HOLD.toNanos() + 1);
        assertThat(replica.tryConsume("k", () -> config, 1).isConsumed()).isTrue();
        assertThat(sharedCalls.get()).as("the old reserve was dropped").isEqualTo(2);
        assertThat(rows.tryConsume("k", () -> config, 1).getRemainingTokens()).isEqualTo(100_000 - 100 - 1);
    }

    @Test
    void nearTheLimitARequestAsksForExactlyItsSizeAndARefusalSaysWhenToRetry() {
        ReservingBucketStore replica = new ReservingBucketStore(shared, now::get);
        BucketConfiguration config = fixed(20_000);                        // batches of 20
        assertThat(rows.tryConsume("d:hospital", () -> config, 19_995).isConsumed()).isTrue();
        assertThat(replica.tryConsume("d:hospital", () -> config, 3).isConsumed()).as("3 of the last 5").isTrue();
        assertThat(replica.tryConsume("d:hospital", () -> config, 2).isConsumed()).as("the last 2").isTrue();
        ConsumptionProbe refused = replica.tryConsume("d:hospital", () -> config, 1);
        assertThat(refused.isConsumed()).isFalse();
        assertThat(refused.getNanosToWaitForRefill()).isPositive();
        int calls = sharedCalls.get();
        assertThat(replica.tryConsume("d:hospital", () -> config, 1).isConsumed()).isFalse();
        assertThat(sharedCalls.get()).as("refused again without a round trip").isEqualTo(calls);
        now.addAndGet(ReservingBucketStore.HOLD.toNanos() + 1);
        assertThat(replica.tryConsume("d:hospital", () -> config, 1).isConsumed()).isFalse();
        assertThat(sharedCalls.get()).as("asks the shared bucket again after the hold").isGreaterThan(calls);
    }
}
