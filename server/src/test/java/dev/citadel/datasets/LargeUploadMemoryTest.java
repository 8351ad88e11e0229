package dev.citadel.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.CitadelApplication;
import dev.citadel.crypto.Totp;
import dev.citadel.support.Api;
import tools.jackson.databind.JsonNode;

/**
 * Streaming end to end: a server given a 128 MiB heap ingests a 1 GiB CSV, eight times its heap (with
 * identifiers on every row, so detection, tokenization, profiling and encryption all run) and stays
 * up. The server is a separate JVM started from the test class path, so its heap limit is real and
 * running out of it ends the process; the CSV is generated as it is sent and never exists in memory
 * or on disk. The heap is about the smallest the server starts with (Argon2 needs its share at
 * start-up), and the size keeps the test under a minute at today's ingest rate on two cores.
 */
class LargeUploadMemoryTest {

    private static final int HEAP_MIB = 128;
    private static final long UPLOAD_BYTES = 8L * HEAP_MIB << 20;
    private static final String ADMIN = "memory-admin";
    private static final String ADMIN_PASSWORD = "large-upload-admin-passphrase-2026";
    private static final String ADMIN_TOTP = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @TempDir
    static Path work;

    private static Process server;
    private static Thread killOnExit;
    private static Path serverLog;
    private static Path gcLog;
    private static Api api;

    @BeforeAll
    static void startServerWithASmallHeap() throws Throwable {
        Path dataDir = Files.createDirectory(work.resolve("data"));
        serverLog = work.resolve("server.log");
        gcLog = work.resolve("gc.log");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MIB + "m", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxDirectMemorySize=64m",
                "-Xlog:gc:file=" + gcLog, "-cp", testClassPath(), CitadelApplication.class.getName()))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(serverLog.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("CITADEL_"));
        env.put("CITADEL_DATA_DIR", dataDir.toString());
        env.put("CITADEL_PORT", Integer.toString(port));
        env.put("CITADEL_MASTER_PASSPHRASE", "large-upload-master-passphrase");
        env.put("CITADEL_BOOTSTRAP_ADMIN_USER", ADMIN);
        env.put("CITADEL_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("CITADEL_BOOTSTRAP_ADMIN_TOTP_SECRET", ADMIN_TOTP);
        env.put("CITADEL_JOBS_ENABLED", "false");
        server = builder.start();
        killOnExit = new Thread(server::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            api = awaitReady(URI.create("https://localhost:" + port), dataDir.resolve("tls/server.crt"));
        } catch (Throwable e) {
            throw withServerLog(e);
        }
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server == null) {
            return;
        }
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
        Runtime.getRuntime().removeShutdownHook(killOnExit);
    }

    @Test
    void aCsvEightTimesTheServersHeapIsIngestedAndTheServerStaysUp() throws Throwable {
        try {
            String scientist = scientistOf("large-upload");
            GeneratedCsv csv = new GeneratedCsv(UPLOAD_BYTES);
            Api.Response response = api.send(api.request("/api/v1/tenants/large-upload/datasets/visits/versions", scientist)
                    .timeout(Duration.ofMinutes(5)).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> csv)));

            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(server.isAlive()).as("the server did not run out of memory").isTrue();
            assertThat(csv.bytesSent()).as("the upload is %d MiB", csv.bytesSent() >> 20).isGreaterThanOrEqualTo(UPLOAD_BYTES);
            JsonNode version = response.json();
            assertThat(version.path("rows").asLong()).isEqualTo(csv.rows());
            assertThat(version.path("columns").asInt()).isEqualTo(GeneratedCsv.COLUMNS);
            Map<String, String> actions = new TreeMap<>();
            version.path("findings").forEach(f -> actions.put(f.path("column").asString(), f.path("action").asString()));
            assertThat(actions).as("identifiers protected, nothing else touched, across the whole file").isEqualTo(Map.of(
                    "full_name", "tokenize", "email", "tokenize", "ssn", "tokenize", "credit_card", "tokenize"));
            JsonNode visitId = version.path("schema").get(0);
            assertThat(visitId.path("type").asString()).isEqualTo("integer");
            assertThat(visitId.path("max").asLong()).as("every row was profiled").isEqualTo(csv.rows());
            assertThat(version.path("storedBytes").asLong()).isGreaterThan(UPLOAD_BYTES / 2);
            assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
        } catch (Throwable e) {
            throw withServerLog(e);
        }
    }

    /** A data scientist in a new tenant, set up by the bootstrap administrator. */
    private static String scientistOf(String tenant) {
        String admin = adminToken();
        expect(api.post("/api/v1/tenants", admin, Api.json("id", tenant, "name", "Large uploads", "region", "eu-west-1")), 201);
        String password = "Correct-Horse-Battery-Large-Staple";
        expect(api.post("/api/v1/users", admin, Api.json("username", "researcher", "password", password)), 201);
        expect(api.put("/api/v1/tenants/" + tenant + "/members/researcher", admin,
                Api.json("roles", List.of("data-scientist"))), 200);
        return expect(api.post("/api/v1/auth/login", null, Api.json("username", "researcher", "password", password)), 200)
                .json().path("access_token").asString();
    }

    /**
     * A CSV of visits by {@link #PATIENTS} patients, each with a name, e-mail, SSN and Luhn-valid card
     * number, produced row by row as it is read. The visit id is unique on every row, and the notes
     * are free text without identifiers.
     */
    static final class GeneratedCsv extends InputStream {

        static final int COLUMNS = 8;
        static final int PATIENTS = 4_096;
        private static final String[] FIRST = {"Jane", "John", "Maria", "Wei", "Amara", "Olga", "Ravi", "Lucia"};
        private static final String[] LAST = {"Roe", "Smith", "Garcia", "Chen", "Okafor", "Ivanova", "Patel", "Rossi"};
        private static final String[] DIAGNOSES = {"diabetes", "hypertension", "asthma", "healthy"};
        private static final String[] OBSERVATIONS = {"blood pressure within the expected range",
            "reports mild fatigue in the afternoons", "no adverse reaction to the current medication",
            "sleep has improved since the last visit", "occasional shortness of breath on exertion",
            "fasting glucose slightly above target", "weight stable over the past three months",
            "asked about dietary advice and exercise"};
        private static final String[] PLANS = {"continue the current dose and review in three months",
            "repeat the laboratory panel before the next appointment", "refer to the outpatient nutrition clinic",
            "increase the evening dose and monitor for side effects"};
        private static final String[] FOLLOW_UPS = {"The patient agreed with the plan and had no further questions",
            "Discussed the results with the patient and a family member present at the visit",
            "Printed instructions were handed out and explained in plain language",
            "The next appointment is to be booked at the front desk before leaving"};

        private final long target;
        private final StringBuilder row = new StringBuilder(64 * 1024);
        private byte[] buffer = "visit_id,full_name,email,ssn,credit_card,age,diagnosis,notes\n"
                .getBytes(StandardCharsets.US_ASCII);
        private int position;
        private long sent;
        private long rows;

        GeneratedCsv(long target) {
            this.target = target;
        }

        long rows() {
            return rows;
        }

        long bytesSent() {
            return sent;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            int copied = 0;
            while (copied < length) {
                if (position == buffer.length && !nextRows()) {
                    break;
                }
                int n = Math.min(length - copied, buffer.length - position);
                System.arraycopy(buffer, position, into, offset + copied, n);
                position += n;
                copied += n;
            }
            sent += copied;
            return copied == 0 ? -1 : copied;
        }

        /** The next 256 rows, once every byte so far is sent and the target is not yet reached. */
        private boolean nextRows() {
            if (sent >= target) {
                return false;
            }
            row.setLength(0);
            for (int i = 0; i < 256; i++) {
                appendRow(rows++);
            }
            buffer = row.toString().getBytes(StandardCharsets.US_ASCII);
            position = 0;
            return true;
        }

        private void appendRow(long visit) {
            int patient = (int) (visit * 7919 % PATIENTS);
            String first = FIRST[patient % FIRST.length];
            String last = LAST[patient / FIRST.length % LAST.length];
            row.append(visit + 1).append(',').append(first).append(' ').append(last).append(',')
                    .append(first.toLowerCase(Locale.ROOT)).append('.').append(patient).append("@example.org,");
            appendSsn(patient);
            row.append(',');
            appendCard(patient);
            row.append(',').append(18 + patient % 80).append(',').append(DIAGNOSES[patient % DIAGNOSES.length])
                    .append(",\"").append(OBSERVATIONS[(int) (visit % OBSERVATIONS.length)]).append(", ")
                    .append(PLANS[(int) (visit / OBSERVATIONS.length % PLANS.length)]).append(". ")
                    .append(FOLLOW_UPS[(int) (visit / 3 % FOLLOW_UPS.length)]).append(".\"\n");
        }

        /** A valid SSN: area 001-665, group 01-99, serial 0001-9999. */
        private void appendSsn(long i) {
            pad(1 + i % 665, 3);
            row.append('-');
            pad(1 + (i / 665) % 99, 2);
            row.append('-');
            pad(1 + (i / (665 * 99)) % 9999, 4);
        }

        /** A Luhn-valid 16-digit Visa number. */
        private void appendCard(long i) {
            int start = row.length();
            row.append('4');
            pad(i, 14);
            int sum = 0;
            for (int k = 0; k < 15; k++) {
                int digit = row.charAt(start + 14 - k) - '0';
                if (k % 2 == 0) {
                    digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
                }
                sum += digit;
            }
            row.append((10 - sum % 10) % 10);
        }

        private void pad(long value, int width) {
            String digits = Long.toString(value);
            for (int k = digits.length(); k < width; k++) {
                row.append('0');
            }
            row.append(digits);
        }
    }

    // --- the server process ---

    /** The class path the tests run with: Surefire's, or java.class.path elsewhere (an IDE). */
    private static String testClassPath() {
        String classPath = System.getProperty("surefire.test.class.path");
        return classPath != null && !classPath.isBlank() ? classPath : System.getProperty("java.class.path");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Api awaitReady(URI base, Path certificate) {
        AtomicReference<Api> ready = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .failFast("the server exited during start-up", () -> !server.isAlive())
                .ignoreExceptions().until(() -> {
            Api candidate = new Api(base, certificate);
            if (candidate.get("/actuator/health/readiness", null).status() == 200) {
                ready.set(candidate);
            }
            return ready.get() != null;
        });
        return ready.get();
    }

    private static String adminToken() {
        String code = Totp.code(Totp.decodeSecret(ADMIN_TOTP), Totp.step(Instant.now()));
        return expect(api.post("/api/v1/auth/login", null,
                Api.json("username", ADMIN, "password", ADMIN_PASSWORD, "totp", code)), 200).json()
                .path("access_token").asString();
    }

    private static Api.Response expect(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }

    /** Attaches the end of the server's output and of its GC log (the heap over time) to a failure. */
    private static Throwable withServerLog(Throwable failure) {
        failure.addSuppressed(new AssertionError("server output (end):\n" + tail(serverLog, 200)
                + "\n\nGC log (end):\n" + tail(gcLog, 30)));
        return failure;
    }

    private static String tail(Path file, int count) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
