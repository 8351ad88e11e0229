package dev.citadel.platform.jobs;

import java.net.InetAddress;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.DatabaseKind;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;

/**
 * Takes queued jobs from the database and runs each exactly once at a time: a job is claimed with
 * a lease ({@code SELECT … FOR UPDATE SKIP LOCKED} on PostgreSQL), the lease is renewed while it
 * makes progress, and a job whose worker died (lease expired) is retried, or failed with a reason
 * after the last attempt. Per-tenant concurrency limits keep one tenant from occupying every worker.
 */
@Component
class JobRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final DatabaseKind database;
    private final Clock clock;
    private final JobsProperties properties;
    private final boolean enabled;
    private final List<JobHandler> handlerBeans;
    private final String holder;
    /** Set when shutdown interrupts running jobs: they are handed back, not failed. */
    private volatile boolean stopping;
    private final ExecutorService workers;
    private final ExecutorService poller = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("citadel-jobs-poll")
            .daemon().factory());
    private final Semaphore free;
    private volatile Map<String, JobHandler> handlers;

    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final io.micrometer.observation.ObservationRegistry observations;
    private final Map<String, java.util.concurrent.atomic.AtomicLong> queued = new java.util.concurrent.ConcurrentHashMap<>();

    JobRunner(JdbcClient jdbc, TenantTransactions transactions, DatabaseKind database, Clock clock,
            JobsProperties properties, @Lazy List<JobHandler> handlerBeans, io.micrometer.core.instrument.MeterRegistry meters,
            io.micrometer.observation.ObservationRegistry observations,
            dev.citadel.platform.config.CitadelProperties platform) {
        if (platform.role() == dev.citadel.platform.config.CitadelProperties.Role.WORKER && !properties.enabled()) {
            throw new IllegalStateException("citadel.role=worker with citadel.jobs.enabled=false would do nothing: "
                    + "enable jobs or choose another role");
        }
        this.enabled = properties.enabled() && platform.role().takesJobs();
        this.meters = meters;
        this.observations = observations;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.database = database;
        this.clock = clock;
        this.properties = properties;
        this.handlerBeans = handlerBeans;
        // host, process id and a random suffix: an operator (or a test) can tell which process holds a job
        this.holder = hostName() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.workers = Executors.newFixedThreadPool(properties.workers(), Thread.ofPlatform().name("citadel-job-", 1)
                .daemon().factory());
        this.free = new Semaphore(properties.workers());
    }

    /** Polls soon after the caller's transaction commits (or now, outside one). */
    void wakeUpAfterCommit() {
        dev.citadel.platform.db.AfterCommit.run(this::wakeUp);
    }

    private void wakeUp() {
        if (enabled) {
            poller.execute(this::pollSafely);
        }
    }

    /** Keeps the leases of this worker's running jobs alive, whether or not they report progress. */
    @Scheduled(fixedDelayString = "${citadel.jobs.heartbeat:20s}", initialDelayString = "${citadel.jobs.heartbeat:20s}")
    void renewLeases() {
        if (!enabled) {
            return;
        }
        try {
            transactions.inPlatform(() -> jdbc.sql(
                            "update job_queue set lease_expires_at = ? where lease_holder = ? and state = 'running'")
                    .param(now().plus(properties.lease())).param(holder).update());
        } catch (RuntimeException e) {
            log.warn("could not renew job leases: {}", e.getMessage());
        }
    }

    /** The queue depth by kind, for {@code citadel.jobs.queued}: counted every 15 s, never on a scrape. */
    @Scheduled(fixedDelayString = "PT15S", initialDelayString = "PT5S")
    void countQueued() {
        try {
            Map<String, Long> counts = new java.util.HashMap<>();
            transactions.inPlatform(() -> jdbc.sql("select kind, count(*) as n from job_queue where state = 'queued' group by kind")
                    .query((rs, n) -> counts.put(rs.getString("kind"), rs.getLong("n"))).list());
            queued.keySet().forEach(kind -> counts.putIfAbsent(kind, 0L));
            counts.forEach((kind, n) -> queued.computeIfAbsent(kind, k -> {
                java.util.concurrent.atomic.AtomicLong value = new java.util.concurrent.atomic.AtomicLong();
                io.micrometer.core.instrument.Gauge.builder("citadel.jobs.queued", value, java.util.concurrent.atomic.AtomicLong::get)
                        .description("Jobs waiting for a worker, by kind").tag("kind", k).register(meters);
                return value;
            }).set(n));
        } catch (RuntimeException e) {
            log.warn("could not count queued jobs: {}", e.getMessage());
        }
    }

    @Scheduled(fixedDelayString = "${citadel.jobs.poll-interval:1s}", initialDelayString = "${citadel.jobs.poll-interval:1s}")
    void poll() {
        if (enabled) {
            poller.execute(this::pollSafely);
        }
    }

    private void pollSafely() {
        try {
            while (free.tryAcquire()) {
                Claimed claimed = claimNext();
                if (claimed == null) {
                    free.release();
                    return;
                }
                workers.execute(() -> {
                    try {
                        run(claimed);
                    } finally {
                        free.release();
                        wakeUp();
                    }
                });
            }
        } catch (RuntimeException e) {
            log.error("job polling failed", e);
        }
    }

    private record Claimed(UUID id, TenantId tenant, String kind, int attempts) {}

    /**
     * Claims the next job fairly: tenants with claimable work are visited least busy first, then
     * longest waiting, so a tenant with a deep queue cannot keep another's first job waiting; within a
     * tenant, jobs run oldest first up to the handler's per-tenant limit.
     */
    private Claimed claimNext() {
        OffsetDateTime now = now();
        return transactions.inPlatform(() -> {
            List<String> tenants = jdbc.sql("""
                    select q.owner_tenant, min(q.queued_at) as oldest,
                        (select count(*) from job_queue r where r.owner_tenant = q.owner_tenant and r.state = 'running'
                            and r.lease_expires_at >= ?) as busy
                    from job_queue q where q.state = 'queued' or (q.state = 'running' and q.lease_expires_at < ?)
                    group by q.owner_tenant order by busy, oldest limit 50""")
                    .param(now).param(now).query((rs, n) -> rs.getString("owner_tenant")).list();
            for (String owner : tenants) {
                Claimed claimed = claimFor(new TenantId(owner), now);
                if (claimed != null) {
                    return claimed;
                }
            }
            return null;
        });
    }

    private Claimed claimFor(TenantId tenant, OffsetDateTime now) {
        String lock = database == DatabaseKind.POSTGRESQL ? " for update skip locked" : " for update";
        List<Map<String, Object>> candidates = jdbc.sql("""
                select job_id, kind, state, attempts from job_queue
                where owner_tenant = ? and (state = 'queued' or (state = 'running' and lease_expires_at < ?))
                order by queued_at limit 20""" + lock)
                .param(tenant.value()).param(now).query().listOfRows();
        for (Map<String, Object> row : candidates) {
            UUID id = (UUID) row.get("job_id");
            String kind = (String) row.get("kind");
            int attempts = ((Number) row.get("attempts")).intValue();
            JobHandler handler = handlers().get(kind);
            if (handler == null) {
                continue;
            }
            if ("running".equals(row.get("state")) && attempts >= properties.maxAttempts()) {
                finishQueue(id, JobState.FAILED);
                transactions.inNewTenantTransaction(tenant, () -> finishJob(tenant, id, JobState.FAILED, null,
                        "The worker running this job stopped " + attempts + " times; giving up."));
                continue;
            }
            long running = jdbc.sql("""
                    select count(*) from job_queue where owner_tenant = ? and kind = ? and state = 'running'
                    and lease_expires_at >= ?""").param(tenant.value()).param(kind).param(now).query(Long.class).single();
            if (running >= handler.perTenantConcurrency(tenant)) {
                continue;
            }
            jdbc.sql("""
                    update job_queue set state = 'running', lease_holder = ?, lease_expires_at = ?, attempts = attempts + 1
                    where job_id = ?""")
                    .param(holder).param(now.plus(properties.lease())).param(id).update();
            return new Claimed(id, tenant, kind, attempts + 1);
        }
        return null;
    }

    private void run(Claimed job) {
        org.slf4j.MDC.put(dev.citadel.platform.web.RequestIds.MDC_TENANT, job.tenant().value());
        org.slf4j.MDC.put("job", job.id().toString());
        long start = System.nanoTime();
        io.micrometer.observation.Observation observation = io.micrometer.observation.Observation
                .createNotStarted("citadel.job", observations).lowCardinalityKeyValue("kind", job.kind())
                .highCardinalityKeyValue("job.id", job.id().toString()).highCardinalityKeyValue("tenant", job.tenant().value());
        try {
            observation.observe(() -> runInContext(job));
        } finally {
            io.micrometer.core.instrument.Timer.builder("citadel.jobs.duration")
                    .description("Time from a job's start to its end, by kind (training, batch predictions, …)")
                    .tag("kind", job.kind()).register(meters)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            org.slf4j.MDC.remove(dev.citadel.platform.web.RequestIds.MDC_TENANT);
            org.slf4j.MDC.remove("job");
        }
    }

    private void runInContext(Claimed job) {
        JobHandler handler = handlers().get(job.kind());
        Map<String, String> params = transactions.inTenant(job.tenant(), () -> {
            jdbc.sql("update jobs set state = ?, phase = ?, started_at = coalesce(started_at, ?) where tenant_id = ? and id = ?")
                    .param(JobState.RUNNING.wireName()).param(job.attempts() > 1 ? "restarted" : "starting").param(now())
                    .param(job.tenant().value()).param(job.id()).update();
            return jdbc.sql("select params from jobs where tenant_id = ? and id = ?").param(job.tenant().value())
                    .param(job.id()).query(String.class).optional().map(Jobs::map).orElse(Map.of());
        });
        Context context = new Context(job, params);
        try {
            Map<String, String> result = handler.run(context);
            JobState state = context.cancelRequested() ? JobState.CANCELLED : JobState.SUCCEEDED;
            complete(job, state, result, null);
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            if (stopping) {
                // interrupted because this process is shutting down: the job is handed back, not failed
                log.info("job {} ({}) interrupted by shutdown; handed back for another worker", job.id(), job.kind());
                return;
            }
            // a native library that does not load or a job too big for the heap fails the job (and
            // frees the tenant's slot) instead of leaving it "running" with a live lease
            String message = e instanceof CitadelException citadel ? citadel.detail()
                    : e instanceof OutOfMemoryError ? "The job ran out of memory; try fewer rows or features."
                    : "The job failed with an internal error (see the server log for job " + job.id() + ").";
            log.error("job {} ({}) failed", job.id(), job.kind(), e);
            complete(job, JobState.FAILED, null, message);
        }
    }

    private void complete(Claimed job, JobState state, Map<String, String> result, String error) {
        transactions.inTenant(job.tenant(), () -> {
            finishJob(job.tenant(), job.id(), state, result, error);
            finishQueue(job.id(), state);
        });
        log.info("job {} ({}) {} after {} attempt(s)", job.id(), job.kind(), state.wireName(), job.attempts());
    }

    private Object finishJob(TenantId tenant, UUID id, JobState state, Map<String, String> result, String error) {
        jdbc.sql("""
                update jobs set state = ?, phase = ?, percent = case when ? then 100 else percent end, result = ?, error = ?,
                    finished_at = ?
                where tenant_id = ? and id = ?""")
                .param(state.wireName()).param(state.wireName()).param(state == JobState.SUCCEEDED)
                .param(result == null ? null : Jobs.json(result))
                .param(error == null ? null : error.substring(0, Math.min(error.length(), 1000)))
                .param(now()).param(tenant.value()).param(id).update();
        return null;
    }

    private void finishQueue(UUID id, JobState state) {
        jdbc.sql("update job_queue set state = ?, lease_holder = null, lease_expires_at = null where job_id = ?")
                .param(state.wireName()).param(id).update();
    }

    private final class Context implements JobContext {
        private final Claimed job;
        private final Map<String, String> params;
        private volatile boolean cancel;

        Context(Claimed job, Map<String, String> params) {
            this.job = job;
            this.params = Map.copyOf(params);
        }

        @Override
        public UUID jobId() {
            return job.id();
        }

        @Override
        public TenantId tenant() {
            return job.tenant();
        }

        @Override
        public Map<String, String> params() {
            return params;
        }

        @Override
        public void progress(String phase, int percent) {
            int bounded = Math.max(0, Math.min(99, percent));
            cancel = transactions.inTenant(job.tenant(), () -> {
                jdbc.sql("update jobs set phase = ?, percent = ? where tenant_id = ? and id = ?")
                        .param(phase.length() > 120 ? phase.substring(0, 120) : phase).param(bounded)
                        .param(job.tenant().value()).param(job.id()).update();
                jdbc.sql("update job_queue set lease_expires_at = ? where job_id = ? and lease_holder = ?")
                        .param(now().plus(properties.lease())).param(job.id()).param(holder).update();
                return jdbc.sql("select cancel_requested from job_queue where job_id = ?").param(job.id())
                        .query(Boolean.class).single();
            });
        }

        @Override
        public boolean cancelRequested() {
            return cancel;
        }
    }

    private Map<String, JobHandler> handlers() {
        Map<String, JobHandler> current = handlers;
        if (current == null) {
            Map<String, JobHandler> byKind = new HashMap<>();
            handlerBeans.forEach(handler -> byKind.put(handler.kind(), handler));
            handlers = current = Map.copyOf(byKind);
        }
        return current;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /**
     * Stops taking jobs, gives running ones {@code citadel.jobs.shutdown-grace} to finish, then hands back what this process
     * still holds: their leases expire now, so another worker takes them over at once instead of
     * after the lease (a handler is safe to run again).
     */
    @Override
    public void destroy() throws InterruptedException {
        poller.shutdownNow();
        workers.shutdown();
        if (!workers.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
            stopping = true;
            workers.shutdownNow();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        }
        try {
            int handedBack = jdbc.sql("update job_queue set lease_expires_at = ? where lease_holder = ? and state = 'running'")
                    .param(now()).param(holder).update();
            if (handedBack > 0) {
                log.info("shutting down: handed {} running job(s) back to the queue", handedBack);
            }
        } catch (RuntimeException e) {
            log.warn("shutting down: could not hand running jobs back ({}); their leases expire on their own",
                    e.getClass().getSimpleName());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "citadel";
        }
    }
}
