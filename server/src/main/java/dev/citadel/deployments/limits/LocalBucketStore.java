package dev.citadel.deployments.limits;

import java.time.Duration;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Buckets in this process's memory, forgotten a day after their last use. */
final class LocalBucketStore implements BucketStore {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofDays(1))
            .maximumSize(1_000_000).build();

    @Override
    public ConsumptionProbe tryConsume(String key, Supplier<BucketConfiguration> configuration, long tokens) {
        Bucket bucket = buckets.get(key, k -> {
            BucketConfiguration config = configuration.get();
            var builder = Bucket.builder();
            for (var bandwidth : config.getBandwidths()) {
                builder.addLimit(bandwidth);
            }
            return builder.build();
        });
        return bucket.tryConsumeAndReturnRemaining(tokens);
    }
}
