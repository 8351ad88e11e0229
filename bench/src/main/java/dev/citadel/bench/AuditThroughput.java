package dev.citadel.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/**
 * Audited operations per second against the same operations with auditing off, in one run (issue
 * 8: target ≥ 80%). Citadel runs in this JVM with the embedded defaults and {@link AuditSwitch}.
 *
 * <ol>
 * <li><b>Prediction requests</b> (the operation Citadel audits most): the secured prediction path
 *     of a logistic-regression deployment over loopback HTTPS, closed loop at 8 connections; every
 *     request is one audit entry, appended through the group commit.
 * <li><b>Bare audited writes</b> (the worst case): a tenant transaction that updates one row of a
 *     scratch table, with auditing on also appending an entry in the same transaction
 *     ({@code AuditLog.append}, as every audited change does) — 8 threads on 1 tenant (one chain
 *     head for all) and on 16 tenants.
 * </ol>
 * Windows alternate off/on after a warm-up round; the median of the repetitions is reported.
 *
 * <p>{@code bench/run audit-throughput [seconds] [repetitions]} (defaults 5, 3).
 */
public final class AuditThroughput {

    private static final int THREADS = 8;

    private AuditThroughput() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Duration window = Duration.ofSeconds(seconds);
        Path dir = Files.createTempDirectory("citadel-audit-bench");
        Path csv = dir.resolve("clinical.csv");
        TrainingData.write(csv, 20_000, 7, dev.citadel.training.OfflineTraining.heldOut(20_000, 0.2, 42));
        ServingBenchmark.Started started = ServingBenchmark.start(dir, new Class<?>[] {AuditSwitch.class});
        try {
            ServingBenchmark.Setup setup = started.setup();
            String tenant = setup.tenant("audited", "enterprise");
            setup.deployBoth(tenant, csv);
            LoadDriver driver = new LoadDriver(started.tls());
            LoadDriver.Target target = setup.secured(tenant, "logistic-regression", ServingBenchmark.bodies(csv));
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int round = 0; round <= repetitions; round++) {
                for (boolean on : List.of(false, true)) {
                    AuditSwitch.ON.set(on);
                    LoadDriver.Result result = driver.closedLoop(target, THREADS,
                            round == 0 ? window.multipliedBy(3) : Duration.ofSeconds(1), window);
                    if (round > 0) {
                        results.computeIfAbsent(on ? "predictions audited" : "predictions off", k -> new ArrayList<>())
                                .add(result.throughput());
                    }
                }
            }
            AuditSwitch.ON.set(true);
            report("prediction requests, 8 connections", results, "predictions");

            JdbcClient jdbc = started.context().getBean(JdbcClient.class);
            TenantTransactions transactions = started.context().getBean(TenantTransactions.class);
            AuditLog audit = started.context().getBean("jdbcAuditLog", AuditLog.class);
            jdbc.sql("create table bench_ops (tenant_id varchar(40), id int, counter bigint, primary key (tenant_id, id))")
                    .update();
            List<TenantId> tenants = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                TenantId id = new TenantId("bench-" + t);
                tenants.add(id);
                for (int i = 0; i < THREADS; i++) {
                    jdbc.sql("insert into bench_ops values (?, ?, 0)").param(id.value()).param(i).update();
                }
            }
            for (int tenantCount : List.of(1, 16)) {
                List<TenantId> used = tenants.subList(0, tenantCount);
                String name = "writes " + tenantCount;
                for (int round = 0; round <= repetitions; round++) {
                    for (boolean on : List.of(false, true)) {
                        double rate = writes(seconds, used, transactions, jdbc, on ? audit : null);
                        if (round > 0) {
                            results.computeIfAbsent(name + (on ? " audited" : " off"), k -> new ArrayList<>()).add(rate);
                        }
                    }
                }
                report("bare audited writes, 8 threads, " + tenantCount + " tenant(s)", results, name);
            }
        } finally {
            started.context().close();
        }
    }

    private static void report(String what, Map<String, List<Double>> results, String key) {
        double off = Measurements.median(results.get(key + " off"));
        double on = Measurements.median(results.get(key + " audited"));
        System.out.printf("%-45s auditing off %8.0f/s  audited %8.0f/s  ratio %.2f   (off %s, on %s)%n", what, off, on,
                on / off, results.get(key + " off").stream().map(Math::round).toList(),
                results.get(key + " audited").stream().map(Math::round).toList());
    }

    /** Operations per second over one window of {@link #THREADS} closed-loop workers. */
    private static double writes(int seconds, List<TenantId> tenants, TenantTransactions transactions, JdbcClient jdbc,
            AuditLog audit) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(THREADS);
        for (int i = 0; i < THREADS; i++) {
            int worker = i;
            TenantId tenant = tenants.get(i % tenants.size());
            Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        transactions.inNewTenantTransaction(tenant, () -> {
                            jdbc.sql("update bench_ops set counter = counter + 1 where tenant_id = ? and id = ?")
                                    .param(tenant.value()).param(worker).update();
                            if (audit != null) {
                                audit.append(new AuditEvent(tenant, "user:bench", "dataset.define", "dataset",
                                        "ds-" + worker, AuditOutcome.SUCCESS, new TreeMap<>(Map.of("columns", "12"))));
                            }
                            return null;
                        });
                        done.increment();
                    }
                } finally {
                    finished.countDown();
                }
            });
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long count = done.sum();
        double elapsed = (System.nanoTime() - start) / 1e9;
        finished.await();
        return count / elapsed;
    }
}
