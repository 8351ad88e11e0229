package dev.citadel.deployments.limits;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Shared buckets drawn in small batches: instead of one {@code SELECT … FOR UPDATE} round trip per
 * request on a row every replica contends for, a replica takes up to 1/1000 of a bucket's capacity
 * (at most {@value #MAX_BATCH} tokens) at once and serves the following requests from that local
 * reserve for at most {@link #HOLD}.
 *
 * <p>Tolerance: tokens are always taken from the shared bucket before they are spent, so no limit
 * is ever exceeded across replicas. A reserve left unspent when it expires is forfeited, so a key
 * can be admitted slightly less than its limit: at most one batch less per replica per
 * {@link #HOLD} of activity. A request the reserve cannot cover goes to the shared bucket for its
 * exact size, so a refusal and its {@code Retry-After} come from the shared bucket; for a moment
 * after a refusal (until the shared bucket said to retry, at most {@link #HOLD}), requests as large
 * are refused here without a round trip, so a tenant flooding past its limit does not load the
 * database.
 */
final class ReservingBucketStore implements BucketStore {

    static final long MAX_BATCH = 50;
    static final Duration HOLD = Duration.ofSeconds(1);

    private final BucketStore shared;
    private final LongSupplier nanoTime;
    private final Cache<String, Reserve> reserves = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(5))
            .maximumSize(100_000).build();

    ReservingBucketStore(BucketStore shared, LongSupplier nanoTime) {
        this.shared = shared;
        this.nanoTime = nanoTime;
    }

    /** Tokens this replica holds for one key, and when it took them. */
    private static final class Reserve {
        long tokens;
        long takenAt;
        /** After a refusal: until when requests of at least {@code refusedTokens} are refused here. */
        long refusedUntil;
        long refusedTokens = Long.MAX_VALUE;
    }

    @Override
    public ConsumptionProbe tryConsume(String key, Supplier<BucketConfiguration> configuration, long tokens) {
        Reserve reserve = reserves.get(key, k -> new Reserve());
        synchronized (reserve) {
            long now = nanoTime.getAsLong();
            if (reserve.tokens > 0 && now - reserve.takenAt > HOLD.toNanos()) {
                reserve.tokens = 0;                    // forfeited: never spent late
            }
            if (reserve.tokens >= tokens) {
                reserve.tokens -= tokens;
                return ConsumptionProbe.consumed(reserve.tokens, 0);
            }
            if (tokens >= reserve.refusedTokens && now - reserve.refusedUntil < 0) {
                // refused moments ago: a flood past the limit is answered here, not by a round trip each
                return ConsumptionProbe.rejected(0, reserve.refusedUntil - now, reserve.refusedUntil - now);
            }
            BucketConfiguration config = configuration.get();
            long batch = Math.max(tokens, Math.min(MAX_BATCH, capacity(config) / 1000));
            if (batch > tokens) {
                ConsumptionProbe taken = shared.tryConsume(key, () -> config, batch);
                if (taken.isConsumed()) {
                    reserve.tokens = batch - tokens;
                    reserve.takenAt = now;
                    return ConsumptionProbe.consumed(taken.getRemainingTokens() + reserve.tokens, 0);
                }
            }
            // near the limit (or a request as large as a batch): exactly what is asked, from the shared bucket
            ConsumptionProbe exact = shared.tryConsume(key, () -> config, tokens);
            if (exact.isConsumed()) {
                reserve.refusedTokens = Long.MAX_VALUE;
            } else {
                reserve.refusedTokens = tokens;
                reserve.refusedUntil = now + Math.min(exact.getNanosToWaitForRefill(), HOLD.toNanos());
            }
            return exact;
        }
    }

    @Override
    public int removeExpired() {
        return shared.removeExpired();
    }

    private static long capacity(BucketConfiguration configuration) {
        long capacity = Long.MAX_VALUE;
        for (var bandwidth : configuration.getBandwidths()) {
            capacity = Math.min(capacity, bandwidth.getCapacity());
        }
        return capacity;
    }
}
