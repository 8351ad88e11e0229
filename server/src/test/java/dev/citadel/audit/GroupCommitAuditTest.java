package dev.citadel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.platform.TenantId;
import dev.citadel.support.IntegrationTest;

/**
 * Group commit under concurrency: every caller returns only once its entry is committed, each
 * tenant's chain stays one gap-free linear hash chain, and tenants do not mix.
 */
class GroupCommitAuditTest extends IntegrationTest {

    @Autowired
    GroupCommitAudit groupCommit;

    @Test
    void concurrentAppendsOfTwoTenantsLeaveTwoIntactChains() throws Exception {
        TenantId first = new TenantId(fx.createTenant("group-a"));
        TenantId second = new TenantId(fx.createTenant("group-b"));
        long before = count(first);
        io.micrometer.core.instrument.DistributionSummary batches = meters.get("citadel.audit.group.commit.entries")
                .summary();
        double entriesBefore = batches.totalAmount();
        long flushesBefore = batches.count();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            TenantId tenant = i % 2 == 0 ? first : second;
            int n = i;
            calls.add(threads.submit(() -> {
                groupCommit.appendAndWait(new AuditEvent(tenant, "tester", "prediction", "deployment", "d",
                        AuditOutcome.SUCCESS, new java.util.TreeMap<>(Map.of("n", Integer.toString(n)))));
                assertThat(committed(tenant, n)).as("returned only after commit").isTrue();
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        threads.shutdown();
        assertThat(count(first) - before).isEqualTo(200);
        for (TenantId tenant : List.of(first, second)) {
            List<AuditEntry> entries = AuditChains.read(jdbc, transactions, tenant);
            AuditChains.assertIntact(entries);
            assertThat(entries).allSatisfy(entry -> assertThat(entry.tenant()).isEqualTo(tenant.value()));
        }
        // the batch-size metric accounts for every entry, in at most as many transactions
        assertThat(batches.totalAmount() - entriesBefore).isGreaterThanOrEqualTo(400);
        assertThat(batches.count() - flushesBefore).isPositive()
                .isLessThanOrEqualTo((long) (batches.totalAmount() - entriesBefore));
    }

    /**
     * Another process appending to the same chain (a second replica): each writer's remembered head
     * goes stale in turn, its conditional head update matches no row, and it falls back to locking
     * and reading the head — the chain stays linear, nothing is lost or forked.
     */
    @Test
    void aSecondWriterOnTheSameChainIsNeverOverwritten() throws Exception {
        TenantId tenant = new TenantId(fx.createTenant("group-c"));
        JdbcAuditLog otherReplica = new JdbcAuditLog(jdbc, jdbcTemplate, java.time.Clock.systemUTC(), checkpoints,
                properties, events, writer);
        long before = count(tenant);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            calls.add(threads.submit(() -> {
                AuditEvent event = new AuditEvent(tenant, "tester", "prediction", "deployment", "d",
                        AuditOutcome.SUCCESS, new java.util.TreeMap<>(Map.of("n", Integer.toString(n))));
                if (n % 3 == 0) {
                    transactions.inTenant(tenant, () -> otherReplica.append(event));
                } else {
                    groupCommit.appendAndWait(event);
                }
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        threads.shutdown();
        assertThat(count(tenant) - before).isEqualTo(200);
        AuditChains.assertIntact(AuditChains.read(jdbc, transactions, tenant));
    }

    /**
     * A checkpoint no longer locks the chain's head while it checks the entries: appends go on, and
     * each checkpoint covers the prefix up to the head it read — never a broken-chain error from
     * entries committed meanwhile.
     */
    @Test
    void checkpointsSignedWhileAppendsGoOnCoverPrefixesOfTheChain() throws Exception {
        TenantId tenant = new TenantId(fx.createTenant("group-d"));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            calls.add(threads.submit(() -> groupCommit.appendAndWait(new AuditEvent(tenant, "tester", "prediction",
                    "deployment", "d", AuditOutcome.SUCCESS, new java.util.TreeMap<>(Map.of("n", Integer.toString(n)))))));
        }
        List<Long> sizes = new ArrayList<>();
        while (!calls.stream().allMatch(Future::isDone)) {
            checkpoints.checkpoint(tenant).ifPresent(made -> sizes.add(made.size()));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        threads.shutdown();
        checkpoints.checkpoint(tenant).ifPresent(made -> sizes.add(made.size()));
        List<AuditEntry> entries = AuditChains.read(jdbc, transactions, tenant);
        AuditChains.assertIntact(entries);
        assertThat(sizes).isSorted().isNotEmpty();
        // the count mark's background checkpoints sign too; together they reach the head
        List<dev.citadel.auditverifier.SignedCheckpoint> signed = transactions.inTenant(tenant,
                () -> checkpoints.all(tenant));
        assertThat(signed.getLast().size()).isEqualTo(entries.size());
        assertThat(signed).allSatisfy(checkpoint -> assertThat(checkpoint.chainHead())
                .isEqualTo(entries.get((int) checkpoint.size() - 1).hash()));
    }

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbcTemplate;
    @Autowired
    AuditCheckpoints checkpoints;
    @Autowired
    AuditProperties properties;
    @Autowired
    org.springframework.context.ApplicationEventPublisher events;
    @Autowired
    dev.citadel.platform.db.WriterPool writer;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private boolean committed(TenantId tenant, int n) {
        return transactions.inNewTenantTransaction(tenant, () -> jdbc.sql(
                        "select count(*) from audit_events where tenant_id = ? and details like ?")
                .param(tenant.value()).param("%\"n\":\"" + n + "\"%").query(Long.class).single()) == 1;
    }

    private long count(TenantId tenant) {
        return transactions.inTenant(tenant, () -> jdbc.sql("select count(*) from audit_events where tenant_id = ?")
                .param(tenant.value()).query(Long.class).single());
    }
}
