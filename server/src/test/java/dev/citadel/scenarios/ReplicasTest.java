package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.S3ProxyServer;
import dev.citadel.support.TestDatabase;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;

/**
 * Several Citadel processes on one PostgreSQL and one S3-compatible store act as one installation
 * (issue 11): an API-only replica (jobs off) and two workers, each its own JVM on loopback. A token
 * issued by one is accepted by all, a revocation holds everywhere within seconds, the seed-002 flow
 * runs alternating between replicas, a training job runs exactly once, and when the worker holding
 * a job is killed with SIGKILL mid-training, the other worker takes it over after the lease and it
 * still registers exactly one model version — while the API replica keeps answering predictions
 * without a server error. Every tenant's audit chain still verifies.
 */
@Tag("postgresql")
class ReplicasTest {

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)     // the servers' logs stay for a failure
    Path shared;

    private ServerProcesses servers;
    private Map<String, String> database;

    record Replica(String name, Process process, Api api) {}

    @org.junit.jupiter.api.BeforeEach
    void processes() {
        servers = new ServerProcesses(shared);
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    @Test
    void replicasShareTokensJobsAndTheAuditChainAndSurviveAKilledWorker() throws Exception {
        database = TestDatabase.createDatabase("citadel_replicas");
        String bucket = "citadel-replicas-" + UUID.randomUUID().toString().substring(0, 8);
        Replica api = start("api", bucket, "api");          // first: creates the keyring, the certificate, the schema
        Replica worker1 = start("worker-1", bucket, "all");
        Replica worker2 = start("worker-2", bucket, "all");

        // a token from one replica is accepted by the others
        String admin = ServerProcesses.signInAdmin(api.api());
        assertThat(worker1.api().get("/api/v1/users/me", admin).status()).isEqualTo(200);
        assertThat(worker2.api().get("/api/v1/users/me", admin).status()).isEqualTo(200);

        // the researcher's flow, alternating replicas
        String tenant = "replicas";
        assertThat(worker1.api().post("/api/v1/tenants", admin, Api.json("id", tenant, "name", "Replicas",
                "region", "eu-west-1")).status()).isEqualTo(201);
        String alice = user(api.api(), admin, tenant, "alice-r", "data-scientist", "data-steward");
        String bob = user(worker2.api(), admin, tenant, "bob-r", "ml-engineer");
        String carol = user(worker1.api(), admin, tenant, "carol-r", "auditor");
        String base = "/api/v1/tenants/" + tenant;
        assertThat(worker2.api().postRaw(base + "/datasets/visits/versions", alice, "text/csv",
                ClinicalRecords.csv(300, 5)).status()).isEqualTo(201);
        Api.Response job = api.api().post(base + "/training-jobs", alice, Map.of("model", "risk", "dataset", "visits",
                "version", 1, "task", "classification", "algorithm", "logistic-regression", "target", "readmitted",
                "features", List.of("age", "prior_admissions", "glucose")));
        assertThat(job.status()).as(job.toString()).isEqualTo(202);
        String first = job.json().path("id").asString();
        awaitJob(worker1.api(), base, first, alice, Duration.ofMinutes(3));
        assertThat(queryLong("select attempts from job_queue where job_id = '" + first + "'")).as("ran once").isEqualTo(1);
        assertThat(worker2.api().post(base + "/models/risk/versions/1/approval", bob, Map.of("reason", "ok")).status())
                .isEqualTo(200);
        assertThat(api.api().put(base + "/deployments/risk", bob, Map.of("model", "risk", "version", 1)).status())
                .isEqualTo(200);

        // limits hold across replicas: a budget of 20 instances a day per principal, asked 30 times on two replicas
        assertThat(api.api().put(base + "/deployments/budgeted", bob, Map.of("model", "risk", "version", 1,
                "dailyBudget", 20)).status()).isEqualTo(200);
        String budgeted = ServerProcesses.predictorToken(worker1.api(), admin, tenant, "budgeted-scorer");
        int admitted = 0;
        for (int i = 0; i < 30; i++) {
            Api.Response answer = (i % 2 == 0 ? api : worker1).api().post(base + "/deployments/budgeted/predictions",
                    budgeted, Map.of("instances", List.of(Map.of("age", 61, "prior_admissions", 2, "glucose", 140.0))));
            if (answer.status() == 200) {
                admitted++;
            } else {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(429);
                assertThat(answer.header("Retry-After")).isNotBlank();
            }
        }
        assertThat(admitted).as("one budget shared by both replicas, none exceeded").isEqualTo(20);

        // a slow job, then SIGKILL the worker that holds it while predictions keep going to the API replica
        assertThat(api.api().postRaw(base + "/datasets/large/versions", alice, "text/csv",
                ClinicalRecords.csv(20_000, 6)).status()).isEqualTo(201);
        Api.Response slow = api.api().post(base + "/training-jobs", alice, Map.of("model", "slow", "dataset", "large",
                "version", 1, "task", "classification", "algorithm", "gradient-boosted-trees", "target", "readmitted",
                "features", List.of("age", "prior_admissions", "glucose", "ward", "bmi"),
                "params", Map.of("trees", 2000, "maxDepth", 10)));
        assertThat(slow.status()).as(slow.toString()).isEqualTo(202);
        String slowId = slow.json().path("id").asString();
        long holderPid = awaitHolder(slowId);
        Replica holding = worker1.process().pid() == holderPid ? worker1 : worker2;
        Replica survivor = holding == worker1 ? worker2 : worker1;
        assertThat(holding.process().pid()).as("a worker holds the job").isEqualTo(holderPid);

        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        ExecutorService load = Executors.newFixedThreadPool(3);
        List<Future<?>> clients = new ArrayList<>();
        String predictor = ServerProcesses.predictorToken(worker2.api(), admin, tenant, "scorer");
        for (int i = 0; i < 2; i++) {
            clients.add(load.submit(() -> {
                while (running.get()) {
                    statuses.add(api.api().post(base + "/deployments/risk/predictions", predictor, Map.of("instances",
                            List.of(Map.of("age", 61, "prior_admissions", 2, "glucose", 140.0)))).status());
                }
            }));
        }
        // and a client of the replica about to be killed: it is killed mid-request, not only mid-training
        ConcurrentLinkedQueue<Integer> onKilled = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger brokenConnections = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch answering = new java.util.concurrent.CountDownLatch(3);
        clients.add(load.submit(() -> {
            while (running.get() && brokenConnections.get() == 0) {
                try {
                    onKilled.add(holding.api().post(base + "/deployments/risk/predictions", predictor, Map.of("instances",
                            List.of(Map.of("age", 61, "prior_admissions", 2, "glucose", 140.0)))).status());
                    answering.countDown();
                } catch (RuntimeException killed) {
                    brokenConnections.incrementAndGet();
                }
            }
        }));
        assertThat(answering.await(2, java.util.concurrent.TimeUnit.MINUTES)).as("the doomed replica answers").isTrue();
        holding.process().destroyForcibly().waitFor();     // SIGKILL
        JsonNode done = awaitJob(survivor.api(), base, slowId, alice, Duration.ofMinutes(4));
        running.set(false);
        for (Future<?> client : clients) {
            client.get();
        }
        load.shutdown();
        assertThat(done.path("state").asString()).isEqualTo("succeeded");
        assertThat(queryLong("select attempts from job_queue where job_id = '" + slowId + "'"))
                .as("taken over once after the lease expired").isEqualTo(2);
        assertThat(api.api().get(base + "/models/slow", alice).json().path("latestVersion").asInt())
                .as("exactly one model version registered").isEqualTo(1);
        assertThat(brokenConnections.get()).as("the killed replica's client saw its connection break").isEqualTo(1);
        assertThat(onKilled).as("the killed replica answered well until it died").isNotEmpty().allMatch(status -> status == 200);
        assertThat(statuses).as("predictions on the API replica while a worker died").isNotEmpty()
                .allMatch(status -> status == 200);

        // a worker asked to stop (SIGTERM) hands its running job back at once instead of holding the lease
        Api.Response handedBack = api.api().post(base + "/training-jobs", alice, Map.of("model", "handed-back",
                "dataset", "large", "version", 1, "task", "classification", "algorithm", "gradient-boosted-trees",
                "target", "readmitted", "features", List.of("age", "prior_admissions", "glucose", "ward", "bmi"),
                "params", Map.of("trees", 2000, "maxDepth", 10)));
        String handedBackId = handedBack.json().path("id").asString();
        assertThat(awaitHolder(handedBackId)).isEqualTo(survivor.process().pid());
        survivor.process().destroy();                        // SIGTERM: graceful shutdown
        assertThat(survivor.process().waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(queryString("select case when lease_expires_at <= now() then 'free' else 'held' end from job_queue "
                + "where job_id = '" + handedBackId + "' and state = 'running'"))
                .as("handed back").isEqualTo("free");

        // a revocation holds on every replica within seconds
        Replica worker3 = start("worker-3", bucket, "all");
        assertThat(worker3.api().get(base + "/datasets", alice).status()).isEqualTo(200);
        api.api().postForm("/api/v1/auth/revoke", Map.of("token", alice), Map.of());
        Instant deadline = Instant.now().plusSeconds(10);
        int status = 200;
        while (Instant.now().isBefore(deadline) && status != 401) {
            status = worker3.api().get(base + "/datasets", alice).status();
        }
        assertThat(status).as("revoked on every replica").isEqualTo(401);

        // one linear audit chain per tenant, whoever appended
        awaitJob(worker3.api(), base, handedBackId, bob, Duration.ofMinutes(3));    // alice's token is revoked
        assertThat(queryLong("select attempts from job_queue where job_id = '" + handedBackId + "'")).isEqualTo(2);
        for (Replica replica : List.of(api, worker3)) {
            JsonNode verification = replica.api().get(base + "/audit/verification", carol).json();
            assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
        }

        // a worker-only process serves no API, only the actuator, and takes the jobs nobody else may
        worker3.process().destroy();
        assertThat(worker3.process().waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Replica workerOnly = start("worker-only", bucket, "worker");
        Api.Response refused = workerOnly.api().get("/api/v1/users/me", bob);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.json().path("code").asString()).isEqualTo("request.not_found");
        String aliceAgain = ServerProcesses.signIn(api.api(), "alice-r");
        Api.Response last = api.api().post(base + "/training-jobs", aliceAgain, Map.of("model", "by-worker",
                "dataset", "visits", "version", 1, "task", "classification", "algorithm", "logistic-regression",
                "target", "readmitted", "features", List.of("age", "prior_admissions", "glucose")));
        assertThat(last.status()).as(last.toString()).isEqualTo(202);
        String lastId = last.json().path("id").asString();
        awaitJob(api.api(), base, lastId, aliceAgain, Duration.ofMinutes(3));
        assertThat(java.nio.file.Files.readString(shared.resolve("worker-only.log")))
                .as("run by the worker-only process, never by the api replica").contains("job " + lastId + " (training)");
    }

    private Replica start(String name, String bucket, String role) throws Exception {
        Map<String, String> properties = new HashMap<>(database);
        properties.put("citadel.data-dir", shared.resolve("data").toString());
        // behind one load balancer every replica has the same public URL, which is the tokens' issuer
        properties.put("citadel.public-url", "https://citadel.replicas.test");
        properties.put("citadel.keys.master-passphrase", "replicas-test-master-passphrase");
        properties.put("citadel.auth.bootstrap.admin-user", IntegrationTest.ADMIN_USER);
        properties.put("citadel.auth.bootstrap.admin-password", IntegrationTest.ADMIN_PASSWORD);
        properties.put("citadel.auth.bootstrap.admin-totp-secret", IntegrationTest.ADMIN_TOTP_SECRET);
        properties.put("citadel.storage.backend", "s3");
        properties.put("citadel.storage.s3.endpoint", S3ProxyServer.get().endpoint());
        properties.put("citadel.storage.s3.bucket", bucket);
        properties.put("citadel.storage.s3.access-key", S3ProxyServer.ACCESS_KEY);
        properties.put("citadel.storage.s3.secret-key", S3ProxyServer.SECRET_KEY);
        properties.put("citadel.storage.s3.create-bucket", "true");
        properties.put("citadel.storage.s3.path-style", "true");
        properties.put("citadel.role", role);
        properties.put("citadel.jobs.lease", "6s");
        properties.put("citadel.jobs.heartbeat", "1s");
        properties.put("citadel.jobs.poll-interval", "200ms");
        properties.put("citadel.jobs.shutdown-grace", "0s");     // a job still running at shutdown is handed back
        properties.put("citadel.monitoring.anomalies.request-floor", "1000000");
        ServerProcesses.Server server = servers.start(name, properties);
        return new Replica(name, server.process(), server.api());
    }

    private static JsonNode awaitJob(Api api, String base, String id, String token, Duration timeout) {
        return ServerProcesses.awaitJob(api, base + "/training-jobs/" + id, token, timeout);
    }

    private static String user(Api api, String admin, String tenant, String name, String... roles) {
        return ServerProcesses.user(api, admin, tenant, name, roles);
    }

    /** The pid of the process whose runner holds the job's lease. */
    private long awaitHolder(String jobId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            String holder = queryString("select lease_holder from job_queue where job_id = '" + jobId + "' and state = 'running'");
            if (holder != null) {
                return Long.parseLong(holder.split("/")[1]);
            }
            pause();
        }
        throw new AssertionError("no worker took job " + jobId);
    }

    private long queryLong(String sql) throws Exception {
        return Long.parseLong(queryString(sql));
    }

    private String queryString(String sql) throws Exception {
        TestDatabase.Postgres pg = TestDatabase.postgres();
        try (Connection c = DriverManager.getConnection(pg.url("citadel_replicas"), pg.superuser(), pg.superuserPassword());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void pause() {
        ServerProcesses.pause();
    }
}
