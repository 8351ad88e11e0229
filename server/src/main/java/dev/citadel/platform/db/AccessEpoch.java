package dev.citadel.platform.db;

import java.time.Duration;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Caches for the lookups every request makes (revocation, the principal, its memberships, the
 * deployment) that are never stale.
 *
 * <p>Security guarantees: the database keeps one counter, {@code access_epoch}, that triggers move
 * inside every transaction that changes a revocation, user, service account, tenant, membership or
 * deployment (except bookkeeping columns such as a login time). A request reads the counter once,
 * first; a cached value is used only if it was loaded under that same counter, and a value is
 * loaded after the counter was read, so it is at least as new. A change is therefore seen by every
 * request that starts after it commits, on every replica — exactly as if each lookup went to the
 * database — while an unchanged installation answers from memory. The counter costs one indexed
 * read per request instead of a transaction per lookup.
 */
public final class AccessEpoch {

    private static final String ATTRIBUTE = AccessEpoch.class.getName();

    private final JdbcClient jdbc;

    AccessEpoch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The counter as this request first saw it (read once per request; outside one, read each time). */
    public long current() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null && request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof Long seen) {
            return seen;
        }
        long epoch = jdbc.sql("select epoch from access_epoch where id = 1").query(Long.class).single();
        if (request != null) {
            request.setAttribute(ATTRIBUTE, epoch, RequestAttributes.SCOPE_REQUEST);
        }
        return epoch;
    }

    /** A cache of at most {@code maximumSize} lookups, each valid while the counter has not moved. */
    public <K, V> Cache<K, V> cache(int maximumSize) {
        return new Cache<>(this, maximumSize);
    }

    /** Lookups tagged with the counter they were loaded under. */
    public static final class Cache<K, V> {

        private record Tagged<V>(long epoch, V value) {}

        private final AccessEpoch epoch;
        private final com.github.benmanes.caffeine.cache.Cache<K, Tagged<V>> entries;

        private Cache(AccessEpoch epoch, int maximumSize) {
            this.epoch = epoch;
            // the age bound is defence in depth only (a change made with the triggers switched off)
            this.entries = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(Duration.ofMinutes(5)).build();
        }

        /** The value for {@code key}: from memory if loaded under the current counter, else from {@code loader}. */
        public V get(K key, Supplier<V> loader) {
            if (TransactionSynchronizationManager.isActualTransactionActive()) {
                // inside a transaction that may itself have changed the state (its epoch moves only at commit)
                return loader.get();
            }
            long now = epoch.current();
            Tagged<V> cached = entries.getIfPresent(key);
            if (cached != null && cached.epoch() == now) {
                return cached.value();
            }
            V value = loader.get();
            entries.put(key, new Tagged<>(now, value));
            return value;
        }

        /** Forgets everything (tests, and a restore that replaced the database under a running process). */
        public void clear() {
            entries.invalidateAll();
        }
    }
}
