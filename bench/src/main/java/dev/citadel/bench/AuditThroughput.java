package dev.citadel.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.CitadelApplication;
import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/**
 * Audited writes per second against the same writes with auditing off, in one run (issue 8:
 * target ≥ 80%). Citadel's own context (embedded H2, or PostgreSQL when {@code CITADEL_DB_URL} and
 * its user and password are set) runs in this JVM; each operation is one tenant transaction that
 * updates a row of a scratch table — with auditing on, the same transaction also appends an audit
 * entry to the tenant's hash chain ({@code AuditLog.append}, as every audited change does), so the
 * entry commits or rolls back with the change. Threads share 1 tenant (every append contends for
 * one chain head) or spread over 16 tenants. Windows alternate off/on; the median of the
 * repetitions is reported.
 *
 * <p>{@code bench/run audit-throughput [seconds] [threads] [repetitions]} (defaults 5, 8, 3).
 */
public final class AuditThroughput {

    private AuditThroughput() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("citadel-audit-bench");
        SecureRandom random = new SecureRandom();
        byte[] passphrase = new byte[24];
        random.nextBytes(passphrase);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CitadelApplication.class)
                .web(WebApplicationType.NONE)
                .run("--citadel.data-dir=" + dir.resolve("data"),
                        "--citadel.keys.master-passphrase=" + java.util.HexFormat.of().formatHex(passphrase),
                        "--citadel.auth.bootstrap.admin-user=bench-admin",
                        "--citadel.auth.bootstrap.admin-password=" + java.util.HexFormat.of().formatHex(passphrase),
                        "--logging.level.root=WARN");
        try {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            TenantTransactions transactions = context.getBean(TenantTransactions.class);
            AuditLog audit = context.getBean("jdbcAuditLog", AuditLog.class);
            jdbc.sql("create table if not exists bench_ops (tenant_id varchar(40), id int, counter bigint, "
                    + "primary key (tenant_id, id))").update();
            List<TenantId> tenants = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                TenantId tenant = new TenantId("bench-" + t);
                tenants.add(tenant);
                for (int i = 0; i < threads; i++) {
                    jdbc.sql("insert into bench_ops values (?, ?, 0)").param(tenant.value()).param(i).update();
                }
            }
            System.out.printf("audited writes, %d threads, %d s windows, %d repetitions (%s)%n", threads, seconds,
                    repetitions, jdbc.sql("select 1").query(Integer.class).single() == 1 ? "database ready" : "");
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int tenantCount : List.of(1, 16)) {
                List<TenantId> used = tenants.subList(0, tenantCount);
                for (int round = 0; round <= repetitions; round++) {
                    boolean warmup = round == 0;
                    for (boolean audited : List.of(false, true)) {
                        double rate = run(seconds, threads, used, transactions, jdbc, audited ? audit : null);
                        if (!warmup) {
                            results.computeIfAbsent(tenantCount + (audited ? " audited" : " off"), k -> new ArrayList<>())
                                    .add(rate);
                        }
                    }
                }
                double off = Measurements.median(results.get(tenantCount + " off"));
                double on = Measurements.median(results.get(tenantCount + " audited"));
                System.out.printf("tenants=%-2d  auditing off %9.0f ops/s  audited %9.0f ops/s  ratio %.2f   (rounds: off %s, on %s)%n",
                        tenantCount, off, on, on / off, rounded(results.get(tenantCount + " off")),
                        rounded(results.get(tenantCount + " audited")));
            }
        } finally {
            context.close();
        }
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    /** Operations per second over one window of {@code threads} closed-loop workers. */
    private static double run(int seconds, int threads, List<TenantId> tenants, TenantTransactions transactions,
            JdbcClient jdbc, AuditLog audit) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
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
