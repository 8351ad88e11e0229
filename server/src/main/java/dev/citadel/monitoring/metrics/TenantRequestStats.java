package dev.citadel.monitoring.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.citadel.monitoring.TenantMetrics;

/**
 * Each tenant's request figures in this process since it started: per endpoint group, the number of
 * requests, client and server errors, and a latency histogram with fixed buckets, from which
 * percentiles are read as the upper bound of the bucket they fall in. Tenants idle for a day are
 * forgotten; memory is bounded.
 */
final class TenantRequestStats {

    /** Bucket upper bounds in milliseconds; the last bucket is open. */
    static final long[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000};

    private final Instant since;
    private final Cache<String, Map<String, Group>> tenants = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofDays(1)).maximumSize(100_000).build();

    TenantRequestStats(Instant since) {
        this.since = since;
    }

    void record(String tenant, String group, int status, long nanos) {
        Group stats = tenants.get(tenant, t -> new ConcurrentHashMap<>()).computeIfAbsent(group, g -> new Group());
        stats.count.increment();
        if (status >= 500) {
            stats.serverErrors.increment();
        } else if (status >= 400) {
            stats.clientErrors.increment();
        }
        long ms = nanos / 1_000_000;
        int bucket = 0;
        while (bucket < BOUNDS_MS.length && ms >= BOUNDS_MS[bucket]) {
            bucket++;
        }
        stats.buckets[bucket].increment();
    }

    Instant since() {
        return since;
    }

    /** A tenant's figures, by group name; latencies are the upper bound of the percentile's bucket (null above all). */
    List<TenantMetrics.Group> groups(String tenant) {
        Map<String, Group> groups = tenants.getIfPresent(tenant);
        List<TenantMetrics.Group> figures = new ArrayList<>();
        if (groups != null) {
            new TreeMap<>(groups).forEach((name, g) -> figures.add(g.figures(name)));
        }
        return figures;
    }

    private static final class Group {
        final LongAdder count = new LongAdder();
        final LongAdder clientErrors = new LongAdder();
        final LongAdder serverErrors = new LongAdder();
        final LongAdder[] buckets = new LongAdder[BOUNDS_MS.length + 1];

        Group() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        TenantMetrics.Group figures(String name) {
            long[] counts = new long[buckets.length];
            long total = 0;
            for (int i = 0; i < buckets.length; i++) {
                counts[i] = buckets[i].sum();
                total += counts[i];
            }
            return new TenantMetrics.Group(name, count.sum(), clientErrors.sum(), serverErrors.sum(), percentile(counts, total, 0.50),
                    percentile(counts, total, 0.95), percentile(counts, total, 0.99));
        }

        private static Long percentile(long[] counts, long total, double p) {
            if (total == 0) {
                return null;
            }
            long rank = (long) Math.ceil(p * total);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return i < BOUNDS_MS.length ? BOUNDS_MS[i] : null;
                }
            }
            return null;
        }
    }
}
