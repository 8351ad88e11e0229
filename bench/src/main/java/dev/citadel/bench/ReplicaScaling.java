package dev.citadel.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import dev.citadel.crypto.Totp;
import dev.citadel.training.OfflineTraining;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Issue 11's scale-out figure: prediction throughput of one, two and three Citadel replicas — each
 * its own JVM on loopback, sharing one PostgreSQL (embedded, started here) and one filesystem
 * store — with the load driver spreading its connections over the replicas, in one run. The ratio
 * is each count's throughput over one replica's. On a machine with few cores the replicas and the
 * driver share them, so the ratio says what the machine allows, not what the design does.
 */
public final class ReplicaScaling {

    private static final int ROWS = 20_000;
    private static final String APP = "citadel_app";
    private static final String OWNER = "citadel_owner";

    private ReplicaScaling() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path dir = Files.createTempDirectory("citadel-replica-bench");
        SecureRandom random = new SecureRandom();
        String password = ServingBenchmark.secret(random);
        String adminPassword = ServingBenchmark.secret(random);
        String totp = Totp.newSecret(random);
        List<Process> processes = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("create role " + OWNER + " login password '" + password + "'");
                s.execute("create role " + APP + " login nosuperuser nobypassrls password '" + password + "'");
                s.execute("create database citadel owner " + OWNER);
            }
            try (Connection c = pg.getDatabase("postgres", "citadel").getConnection(); Statement s = c.createStatement()) {
                s.execute("alter schema public owner to " + OWNER);
                s.execute("revoke all on schema public from public");
            }
            Map<String, String> shared = new LinkedHashMap<>();
            shared.put("citadel.db.url", "jdbc:postgresql://localhost:" + pg.getPort() + "/citadel");
            shared.put("citadel.db.user", APP);
            shared.put("citadel.db.password", password);
            shared.put("citadel.db.migration-user", OWNER);
            shared.put("citadel.db.migration-password", password);
            shared.put("citadel.data-dir", dir.resolve("data").toString());
            shared.put("citadel.public-url", "https://citadel.bench.test");
            shared.put("citadel.keys.master-passphrase", ServingBenchmark.secret(random));
            shared.put("citadel.auth.bootstrap.admin-user", "bench-admin");
            shared.put("citadel.auth.bootstrap.admin-password", adminPassword);
            shared.put("citadel.auth.bootstrap.admin-totp-secret", totp);
            shared.put("citadel.serving.limits.plans.enterprise.tenant-per-minute", "100000000");
            shared.put("citadel.serving.limits.plans.enterprise.principal-per-minute", "100000000");
            shared.put("citadel.monitoring.anomalies.request-floor", "100000000");
            shared.put("logging.level.root", "WARN");

            List<URI> replicas = new ArrayList<>();
            replicas.add(start(processes, dir, shared, "all"));     // first alone: keyring, certificate, schema
            SSLContext tls = ServingBenchmark.Setup.trusting(dir.resolve("data/tls/server.crt"));
            ServingBenchmark.Setup setup = new ServingBenchmark.Setup(replicas.getFirst(), tls);
            setup.login("bench-admin", adminPassword, totp);
            String tenant = setup.tenant("scale", "enterprise");
            Path csv = dir.resolve("clinical.csv");
            TrainingData.write(csv, ROWS, 7, OfflineTraining.heldOut(ROWS, 0.2, 42));
            setup.deployBoth(tenant, csv);
            List<byte[]> bodies = ServingBenchmark.bodies(csv);
            LoadDriver.Target first = setup.secured(tenant, "logistic-regression", bodies);
            replicas.add(start(processes, dir, shared, "api"));
            replicas.add(start(processes, dir, shared, "api"));
            List<LoadDriver.Target> targets = new ArrayList<>();
            for (URI replica : replicas) {
                targets.add(new LoadDriver.Target(replica.toString(), replica.resolve(first.uri().getPath()), first.token(),
                        bodies));
            }

            LoadDriver driver = new LoadDriver(tls);
            Duration window = Duration.ofSeconds(seconds);
            Duration warmup = Duration.ofSeconds(Math.max(3, seconds / 2));
            System.out.printf("%nprediction throughput, logistic regression, %d connections, %d s windows, %d cores%n",
                    connections, seconds, Runtime.getRuntime().availableProcessors());
            double one = 0;
            for (int n = 1; n <= replicas.size(); n++) {
                LoadDriver.Result result = driver.closedLoop(targets.subList(0, n), connections, warmup, window);
                if (n == 1) {
                    one = result.throughput();
                }
                System.out.printf("  %d replica(s): %8.0f req/s  p50 %6.1f ms  p99 %6.1f ms  refused %d  failed %d  "
                        + "ratio %.2f%n", n, result.throughput(), result.p50() / 1000.0, result.p99() / 1000.0,
                        result.refused(), result.failed(), result.throughput() / one);
            }
        } finally {
            processes.forEach(Process::destroy);               // SIGTERM: a JFR recording is written on exit
            for (Process process : processes) {
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** Starts one replica in its own JVM and waits until its health endpoint answers. */
    private static URI start(List<Process> processes, Path dir, Map<String, String> shared, String role) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m"));
        String options = System.getenv("REPLICA_JVM_OPTS");     // e.g. a JFR recording of each replica
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.replace("{port}", Integer.toString(port)).trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.citadel.CitadelApplication",
                "--server.port=" + port, "--citadel.role=" + role));
        shared.forEach((k, v) -> command.add("--" + k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("replica-" + port + ".log").toFile());
        builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
        Process process = builder.start();
        processes.add(process);
        URI base = URI.create("https://localhost:" + port);
        Path certificate = dir.resolve("data/tls/server.crt");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("replica exited; see " + dir.resolve("replica-" + port + ".log"));
            }
            if (Files.exists(certificate)) {
                try {
                    HttpClient client = HttpClient.newBuilder().sslContext(ServingBenchmark.Setup.trusting(certificate)).build();
                    if (client.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return base;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("replica did not start; see " + dir.resolve("replica-" + port + ".log"));
    }
}
