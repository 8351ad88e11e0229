package dev.citadel.platform.jobs;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Long-running work as database records: submitted in the caller's transaction (so a job exists
 * exactly when the change that needs it commits), run once by whichever worker leases it, with
 * progress a tenant can poll. The job detail is a tenant row (row-level security); the queue entry
 * holds only scheduling facts.
 */
@Service
public class Jobs {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final JobRunner runner;

    Jobs(JdbcClient jdbc, TenantTransactions transactions, Clock clock, JobRunner runner) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.runner = runner;
    }

    /** Queues a job for {@code tenant}; joins the caller's transaction. */
    public JobView submit(TenantId tenant, String kind, Map<String, String> params) {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        transactions.inTenant(tenant, () -> {
            jdbc.sql("""
                    insert into jobs (id, tenant_id, kind, state, phase, percent, params, created_by, created_at)
                    values (?, ?, ?, ?, ?, 0, ?, ?, ?)""")
                    .param(id).param(tenant.value()).param(kind).param(JobState.QUEUED.wireName()).param("queued")
                    .param(JSON.writeValueAsString(new TreeMap<>(params))).param(Principals.currentActor()).param(now)
                    .update();
            jdbc.sql("insert into job_queue (job_id, owner_tenant, kind, state, queued_at) values (?, ?, ?, ?, ?)")
                    .param(id).param(tenant.value()).param(kind).param(JobState.QUEUED.wireName()).param(now).update();
        });
        runner.wakeUpAfterCommit();
        return find(tenant, id).orElseThrow();
    }

    public Optional<JobView> find(TenantId tenant, UUID id) {
        return transactions.inTenant(tenant, () -> jdbc.sql("""
                        select id, kind, state, phase, percent, params, result, error, created_by, created_at, started_at,
                               finished_at from jobs where tenant_id = ? and id = ?""")
                .param(tenant.value()).param(id)
                .query((rs, n) -> new JobView(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getString("state"),
                        rs.getString("phase"), rs.getInt("percent"), map(rs.getString("params")), map(rs.getString("result")),
                        rs.getString("error"), rs.getString("created_by"), instant(rs.getObject("created_at", OffsetDateTime.class)),
                        instant(rs.getObject("started_at", OffsetDateTime.class)),
                        instant(rs.getObject("finished_at", OffsetDateTime.class))))
                .optional());
    }

    /** The tenant's most recent jobs of {@code kind}, newest first. */
    public java.util.List<JobView> list(TenantId tenant, String kind, int limit) {
        return transactions.inTenant(tenant, () -> jdbc.sql("""
                        select id from jobs where tenant_id = ? and kind = ? order by created_at desc limit ?""")
                .param(tenant.value()).param(kind).param(Math.max(1, Math.min(limit, 500))).query(UUID.class).list())
                .stream().map(id -> get(tenant, id)).toList();
    }

    /** How many of the tenant's jobs are in each state, by kind (kind → state → count). */
    public java.util.SortedMap<String, java.util.SortedMap<String, Long>> counts(TenantId tenant) {
        java.util.SortedMap<String, java.util.SortedMap<String, Long>> counts = new java.util.TreeMap<>();
        transactions.inTenant(tenant, () -> jdbc.sql(
                        "select kind, state, count(*) as n from jobs where tenant_id = ? group by kind, state")
                .param(tenant.value())
                .query((rs, n) -> counts.computeIfAbsent(rs.getString("kind"), k -> new java.util.TreeMap<>())
                        .put(rs.getString("state"), rs.getLong("n")))
                .list());
        return counts;
    }

    public JobView get(TenantId tenant, UUID id) {
        return find(tenant, id).orElseThrow(() -> new CitadelException(ErrorCode.JOB_NOT_FOUND, "No such job."));
    }

    /** Asks a job to stop: a queued job is cancelled at once, a running one at its next safe point. */
    public JobView cancel(TenantId tenant, UUID id) {
        get(tenant, id);
        transactions.inTenant(tenant, () -> {
            jdbc.sql("update job_queue set cancel_requested = true where job_id = ? and owner_tenant = ?")
                    .param(id).param(tenant.value()).update();
            int cancelled = jdbc.sql("update job_queue set state = ? where job_id = ? and owner_tenant = ? and state = ?")
                    .param(JobState.CANCELLED.wireName()).param(id).param(tenant.value()).param(JobState.QUEUED.wireName())
                    .update();
            if (cancelled == 1) {
                jdbc.sql("update jobs set state = ?, phase = ?, finished_at = ? where tenant_id = ? and id = ?")
                        .param(JobState.CANCELLED.wireName()).param("cancelled before start")
                        .param(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).param(tenant.value()).param(id)
                        .update();
            }
        });
        return get(tenant, id);
    }

    static Map<String, String> map(String json) {
        return json == null || json.isBlank() ? Map.of() : JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {});
    }

    static String json(Map<String, String> map) {
        return JSON.writeValueAsString(new TreeMap<>(map));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
