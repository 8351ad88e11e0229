package dev.citadel.deployments.limits;

import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Where token buckets live: in this process (embedded default) or in PostgreSQL (shared by replicas). */
interface BucketStore {

    ConsumptionProbe tryConsume(String key, Supplier<BucketConfiguration> configuration, long tokens);

    /** Forgets buckets that would be full again anyway; returns how many. */
    default int removeExpired() {
        return 0;
    }
}
