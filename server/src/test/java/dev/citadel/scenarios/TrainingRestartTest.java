package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.support.Api;

/**
 * Training jobs live in the database, not in a process: jobs queued before a restart run after it,
 * a job whose worker died mid-run (its lease expired) runs again and registers exactly one version,
 * and one that keeps dying is failed with a reason instead of staying "running" forever.
 */
class TrainingRestartTest {

    private static final String TOTP = "KRSXG5CTMVRXEZLUKN2XAZLDOJSXI===";
    private static final String ADMIN_PASSWORD = "training-restart-passphrase-2026";

    @TempDir
    Path dataDir;

    @Test
    void jobsSurviveARestartAndADeadWorkersJobIsRunAgainOrFailedWithAReason() {
        String queued;
        String orphaned;
        String doomed;
        String scientistPassword = "Scientist-Restart-Passphrase-2026";
        try (ConfigurableApplicationContext first = start(false)) {
            Api api = ScenarioServer.api(first, dataDir);
            String admin = ScenarioServer.login(api, "first-admin", ADMIN_PASSWORD, TOTP);
            assertThat(api.post("/api/v1/tenants", admin, Api.json("id", "ward", "name", "Ward", "region", "eu-west-1"))
                    .status()).isEqualTo(201);
            assertThat(api.post("/api/v1/users", admin, Api.json("username", "sam", "password", scientistPassword))
                    .status()).isEqualTo(201);
            assertThat(api.put("/api/v1/tenants/ward/members/sam", admin, Api.json("roles", List.of("data-scientist")))
                    .status()).isEqualTo(200);
            String token = scientist(api, scientistPassword);
            assertThat(api.postRaw("/api/v1/tenants/ward/datasets/stays/versions", token, "text/csv", csv()).status())
                    .isEqualTo(201);
            queued = submit(api, token, "queued-model");
            orphaned = submit(api, token, "orphaned-model");
            doomed = submit(api, token, "doomed-model");
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            OffsetDateTime expired = OffsetDateTime.ofInstant(ScenarioServer.CLOCK.instant(), ZoneOffset.UTC).minusMinutes(5);
            markRunningOnADeadWorker(jdbc, orphaned, 1, expired);
            markRunningOnADeadWorker(jdbc, doomed, 3, expired);
            assertThat(state(api, token, queued)).isEqualTo("queued");
        }
        try (ConfigurableApplicationContext second = start(true)) {
            Api api = ScenarioServer.api(second, dataDir);
            String token = scientist(api, scientistPassword);
            Map<String, String> finalStates = new HashMap<>();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (String id : List.of(queued, orphaned, doomed)) {
                    finalStates.put(id, state(api, token, id));
                }
                return finalStates.values().stream().allMatch(s -> List.of("succeeded", "failed").contains(s));
            });
            assertThat(finalStates.get(queued)).isEqualTo("succeeded");
            assertThat(finalStates.get(orphaned)).isEqualTo("succeeded");
            assertThat(finalStates.get(doomed)).isEqualTo("failed");
            assertThat(api.get("/api/v1/tenants/ward/training-jobs/" + doomed, token).json().path("error").asString())
                    .contains("stopped 3 times");
            assertThat(api.get("/api/v1/tenants/ward/models/orphaned-model/versions", token).json().size())
                    .as("the re-run registers one version").isEqualTo(1);
            assertThat(api.get("/api/v1/tenants/ward/models/doomed-model", token).status()).isEqualTo(404);
        }
    }

    private static void markRunningOnADeadWorker(JdbcClient jdbc, String job, int attempts, OffsetDateTime leaseExpired) {
        jdbc.sql("""
                update job_queue set state = 'running', lease_holder = 'crashed-replica', lease_expires_at = ?, attempts = ?
                where job_id = ?""").param(leaseExpired).param(attempts).param(java.util.UUID.fromString(job)).update();
    }

    private static String submit(Api api, String token, String model) {
        Api.Response response = api.post("/api/v1/tenants/ward/training-jobs", token, Api.json("model", model,
                "dataset", "stays", "version", 1, "task", "regression", "algorithm", "linear-regression",
                "target", "stay"));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().path("id").asString();
    }

    private static String state(Api api, String token, String job) {
        return api.get("/api/v1/tenants/ward/training-jobs/" + job, token).json().path("state").asString();
    }

    private static String scientist(Api api, String password) {
        Api.Response response = api.post("/api/v1/auth/login", null, Api.json("username", "sam", "password", password));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().path("access_token").asString();
    }

    private static String csv() {
        StringBuilder csv = new StringBuilder("age,prior,stay\n");
        for (int i = 0; i < 200; i++) {
            int age = 20 + (i * 37) % 70;
            int prior = i % 5;
            csv.append(age).append(',').append(prior).append(',').append(1 + 0.05 * age + prior).append('\n');
        }
        return csv.toString();
    }

    private ConfigurableApplicationContext start(boolean jobs) {
        Map<String, String> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("citadel.data-dir", dataDir.toString());
        properties.put("citadel.keys.master-passphrase", "training-restart-master-passphrase");
        properties.put("citadel.auth.bootstrap.admin-user", "first-admin");
        properties.put("citadel.auth.bootstrap.admin-password", ADMIN_PASSWORD);
        properties.put("citadel.auth.bootstrap.admin-totp-secret", TOTP);
        properties.put("citadel.jobs.enabled", Boolean.toString(jobs));
        return ScenarioServer.start(properties);
    }
}
