package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.citadel.crypto.Totp;
import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Citadel servers as separate JVMs on loopback, started from the test class path, for the
 * scenarios that need more than one process (replicas, backup and restore); and the API steps those
 * scenarios share. Each server's output goes to {@code <name>.log} in the directory given.
 */
final class ServerProcesses implements AutoCloseable {

    static final String USER_PASSWORD = "Scenario-Process-Passphrase-2026";

    private final Path logs;
    private final List<Process> processes = new ArrayList<>();

    ServerProcesses(Path logs) {
        this.logs = logs;
    }

    record Server(String name, Process process, Api api) {}

    /** What a command run to its end printed, and its exit code. */
    record Exit(int code, String output) {}

    /** Starts a server with {@code properties} (its data directory's certificate is trusted) and waits until healthy. */
    Server start(String name, Map<String, String> properties) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = command(List.of("--server.port=" + port), properties);
        Path log = logs.resolve(name + ".log");
        Process process = builder(command).redirectOutput(log.toFile()).start();
        processes.add(process);
        return new Server(name, process, awaitHealthy(name, process, port, log,
                Path.of(properties.get("citadel.data-dir")).resolve("tls/server.crt")));
    }

    /** Runs {@code Citadel <arguments>} to its end (at most {@code timeout}). */
    Exit run(String name, Map<String, String> properties, Duration timeout, String... arguments) throws Exception {
        Path log = logs.resolve(name + ".log");
        List<String> command = command(List.of(arguments), properties);
        Process process = builder(command).redirectOutput(log.toFile()).start();
        processes.add(process);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish in " + timeout + ": " + tail(log));
        }
        return new Exit(process.exitValue(), Files.readString(log));
    }

    private static List<String> command(List<String> first, Map<String, String> properties) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.citadel.CitadelApplication"));
        command.addAll(first);
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        return command;
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
        return builder;
    }

    private static Api awaitHealthy(String name, Process process, int port, Path log, Path certificate) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited: " + tail(log));
            }
            if (Files.exists(certificate)) {
                Api api = new Api(URI.create("https://localhost:" + port), certificate);
                try {
                    if (api.get("/actuator/health", null).status() == 200) {
                        return api;
                    }
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(name + " did not become healthy: " + tail(log));
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }

    static String signInAdmin(Api api) {
        return signInAdmin(api, 0);
    }

    /**
     * Signs the bootstrap admin in with the TOTP code of the current step plus {@code ahead} (the
     * server accepts ±1). A restored installation remembers the last step its admin used, so a
     * sign-in after a restore within the same 30 s would be refused as a replay: it uses {@code 1}.
     */
    static String signInAdmin(Api api, int ahead) {
        String code = Totp.code(Totp.decodeSecret(IntegrationTest.ADMIN_TOTP_SECRET), Totp.step(Instant.now()) + ahead);
        Api.Response response = api.post("/api/v1/auth/login", null, Api.json("username", IntegrationTest.ADMIN_USER,
                "password", IntegrationTest.ADMIN_PASSWORD, "totp", code));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().path("access_token").asString();
    }

    /** Creates a user with roles in the tenant and signs it in (no TOTP: none of these roles needs it). */
    static String user(Api api, String admin, String tenant, String name, String... roles) {
        assertThat(api.post("/api/v1/users", admin, Api.json("username", name, "password", USER_PASSWORD)).status())
                .isEqualTo(201);
        assertThat(api.put("/api/v1/tenants/" + tenant + "/members/" + name, admin, Api.json("roles", List.of(roles)))
                .status()).isEqualTo(200);
        return signIn(api, name);
    }

    static String signIn(Api api, String name) {
        Api.Response login = api.post("/api/v1/auth/login", null, Api.json("username", name, "password", USER_PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.json().path("access_token").asString();
    }

    static String predictorToken(Api api, String admin, String tenant, String name) {
        Api.Response account = api.post("/api/v1/tenants/" + tenant + "/service-accounts", admin,
                Api.json("name", name, "roles", List.of("predictor")));
        assertThat(account.status()).as(account.toString()).isEqualTo(201);
        return api.postForm("/api/v1/auth/token", Map.of("grant_type", "client_credentials",
                "client_id", account.json().path("clientId").asString(),
                "client_secret", account.json().path("clientSecret").asString()), Map.of())
                .json().path("access_token").asString();
    }

    /** Polls a job at {@code path} until it ends; fails unless it succeeded. */
    static JsonNode awaitJob(Api api, String path, String token, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = api.get(path, token).json();
            String state = job.path("state").asString();
            if (state.equals("succeeded") || state.equals("failed") || state.equals("cancelled")) {
                assertThat(state).as(job.toString()).isEqualTo("succeeded");
                return job;
            }
            pause();
        }
        throw new AssertionError("job " + path + " did not finish in " + timeout);
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
