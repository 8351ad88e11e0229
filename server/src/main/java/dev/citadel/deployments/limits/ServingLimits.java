package dev.citadel.deployments.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.DatabaseKind;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.tenancy.Tenants;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Admits or refuses a prediction request before any work is done: the principal's and the tenant's
 * rate (per minute, by plan), the tenant's daily prediction quota, the principal's daily budget on
 * the deployment (an extraction defence), then one of the tenant's bulkhead slots. Refusals are
 * {@code 429} with {@code Retry-After}; one tenant at its limits never takes capacity from another.
 */
@Component
@EnableConfigurationProperties(ServingProperties.class)
public class ServingLimits {

    private final ServingProperties properties;
    private final BucketStore buckets;
    private final Tenants tenants;
    private final Clock clock;
    private final Cache<TenantId, Tenants.TenantView> tenantCache = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(30)).maximumSize(100_000).build();
    private final Cache<String, Semaphore> bulkheads = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1))
            .maximumSize(100_000).build();

    ServingLimits(ServingProperties properties, DatabaseKind database, DataSource dataSource, Tenants tenants,
            Clock clock) {
        this.properties = properties;
        this.buckets = database == DatabaseKind.POSTGRESQL
                ? new ReservingBucketStore(new PostgresBucketStore(dataSource), System::nanoTime) : new LocalBucketStore();
        this.tenants = tenants;
        this.clock = clock;
    }

    /** Deletes expired shared buckets (PostgreSQL), so the table holds only live ones. */
    @org.springframework.scheduling.annotation.Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
    void removeExpiredBuckets() {
        try {
            buckets.removeExpired();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ServingLimits.class).warn("could not remove expired rate-limit buckets: {}",
                    e.getMessage());
        }
    }

    /** A bulkhead slot; release it when the request is done. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Checks every limit for one request of {@code instances} instances and takes a bulkhead slot.
     *
     * @param dailyBudget the deployment's daily budget of instances per principal, or null for none
     */
    public Permit admit(TenantId tenant, String principal, String deployment, Integer dailyBudget, int instances) {
        Tenants.TenantView view = tenant(tenant);
        ServingProperties.PlanLimits plan = properties.forPlan(view.plan());
        consume("p:" + tenant.value() + ":" + principal + ":" + plan.principalPerMinute(), perMinute(plan.principalPerMinute()),
                1, ErrorCode.RATE_LIMITED, "This principal is over its rate limit of " + plan.principalPerMinute()
                        + " requests a minute.");
        consume("t:" + tenant.value() + ":" + plan.tenantPerMinute(), perMinute(plan.tenantPerMinute()), 1,
                ErrorCode.RATE_LIMITED, "The tenant is over its rate limit of " + plan.tenantPerMinute()
                        + " requests a minute.");
        charge(tenant, principal, deployment, dailyBudget, instances);
        Semaphore slots = bulkheads.get(tenant.value() + ":" + plan.concurrency(), k -> new Semaphore(plan.concurrency()));
        try {
            if (!slots.tryAcquire(properties.bulkheadWaitOrDefault().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new CitadelException(ErrorCode.SERVING_BUSY, "All of the tenant's " + plan.concurrency()
                        + " serving slots are busy; retry shortly.", java.util.List.of(), Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CitadelException(ErrorCode.SERVING_BUSY, "Interrupted while waiting for a serving slot.",
                    java.util.List.of(), Duration.ofSeconds(1));
        }
        return slots::release;
    }

    /**
     * Charges {@code instances} to the tenant's daily quota and the principal's budget on the
     * deployment: part of {@link #admit}, and all a batch job's chunk needs (batch jobs have their own
     * worker slots, so no rate or bulkhead).
     */
    public void charge(TenantId tenant, String principal, String deployment, Integer dailyBudget, int instances) {
        Tenants.TenantView view = tenant(tenant);
        long quota = view.quotas().predictionsPerDay();
        consume("d:" + tenant.value() + ":" + today() + ":" + quota, perDay(quota), instances,
                ErrorCode.PREDICTION_QUOTA_EXCEEDED, "The tenant's daily quota of " + quota
                        + " predictions is used up until midnight UTC.");
        if (dailyBudget != null) {
            consume("b:" + tenant.value() + ":" + deployment + ":" + principal + ":" + today() + ":" + dailyBudget,
                    perDay(dailyBudget), instances, ErrorCode.PREDICTION_QUOTA_EXCEEDED, "This principal's daily budget of "
                            + dailyBudget + " predictions on this deployment is used up until midnight UTC.");
        }
    }

    private Tenants.TenantView tenant(TenantId tenant) {
        return tenantCache.get(tenant, t -> tenants.find(t).orElseThrow(
                () -> new CitadelException(ErrorCode.TENANT_NOT_FOUND, "No such tenant.")));
    }

    private void consume(String key, BucketConfiguration configuration, long tokens, ErrorCode code, String message) {
        ConsumptionProbe probe = buckets.tryConsume(key, () -> configuration, tokens);
        if (!probe.isConsumed()) {
            // at least a second, at most a day (a request larger than a whole daily allowance never fits)
            Duration wait = Duration.ofNanos(Math.min(Math.max(probe.getNanosToWaitForRefill(), 1_000_000_000L),
                    Duration.ofDays(1).toNanos()));
            throw new CitadelException(code, message, java.util.List.of(), wait);
        }
    }

    private static BucketConfiguration perMinute(long requests) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(requests).refillGreedy(requests, Duration.ofMinutes(1)).build())
                .build();
    }

    /** A day's allowance, refilled at once at the next midnight UTC (the key also names the day). */
    private BucketConfiguration perDay(long instances) {
        Instant midnight = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(instances)
                        .refillIntervallyAligned(instances, Duration.ofDays(1), midnight).build())
                .build();
    }

    private String today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
    }
}
