package dev.citadel.deployments.limits;

import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * Buckets in PostgreSQL (table {@code rate_limit_buckets}, one row per bucket, updated under
 * {@code SELECT … FOR UPDATE}), so every replica draws from the same bucket.
 */
final class PostgresBucketStore implements BucketStore {

    private final io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    PostgresBucketStore(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofHours(1)))
                .build();
    }

    @Override
    public int removeExpired() {
        int removed = 0;
        int batch;
        do {
            batch = buckets.removeExpired(1000);
            removed += batch;
        } while (batch == 1000);
        return removed;
    }

    @Override
    public ConsumptionProbe tryConsume(String key, Supplier<BucketConfiguration> configuration, long tokens) {
        return buckets.getProxy(key, configuration).tryConsumeAndReturnRemaining(tokens);
    }
}
