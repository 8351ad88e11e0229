package dev.citadel.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.citadel.support.Api;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.TestDatabase;
import dev.citadel.training.ClinicalRecords;
import tools.jackson.databind.JsonNode;

/**
 * Backup and restore end to end (issue 11), each server its own JVM on PostgreSQL: an installation
 * with two tenants, a trained and deployed model and the predictions it gives, is backed up twice
 * (the second copies no blob again); one tenant is then crypto-shredded; the data directory and
 * the database are destroyed; the restore command rebuilds the installation into a new database
 * and data directory from the backup alone (plus the master passphrase) and verifies it; the
 * restored server signs the same users in, answers the same prediction, verifies every audit
 * chain — and the shredded tenant stays unrecoverable. A backup with one flipped byte in a blob is
 * refused.
 */
@Tag("postgresql")
class BackupRestoreTest {

    private static final String PASSPHRASE = "backup-restore-test-master-passphrase";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)     // the servers' logs stay for a failure
    Path work;

    private ServerProcesses servers;

    @AfterEach
    void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void anInstallationIsRestoredFromItsBackupAndVerifiedAndAShreddedTenantStaysGone() throws Exception {
        servers = new ServerProcesses(work);
        Path backups = work.resolve("backups");
        Map<String, String> original = properties(TestDatabase.createDatabase("citadel_backed_up"),
                work.resolve("data"), backups);
        ServerProcesses.Server before = servers.start("original", original);
        Api api = before.api();
        String admin = ServerProcesses.signInAdmin(api);

        // two tenants; a model trained, approved and deployed in one
        for (String tenant : List.of("clinic", "lab")) {
            assertThat(api.post("/api/v1/tenants", admin, Api.json("id", tenant, "name", "Tenant " + tenant,
                    "region", "eu-west-1")).status()).isEqualTo(201);
        }
        String alice = ServerProcesses.user(api, admin, "clinic", "alice-b", "data-scientist", "data-steward");
        String bob = ServerProcesses.user(api, admin, "clinic", "bob-b", "ml-engineer");
        ServerProcesses.user(api, admin, "clinic", "carol-b", "auditor");
        String lena = ServerProcesses.user(api, admin, "lab", "lena-b", "data-scientist");
        String clinic = "/api/v1/tenants/clinic";
        assertThat(api.postRaw(clinic + "/datasets/visits/versions", alice, "text/csv", ClinicalRecords.csv(300, 5))
                .status()).isEqualTo(201);
        assertThat(api.postRaw("/api/v1/tenants/lab/datasets/samples/versions", lena, "text/csv",
                ClinicalRecords.csv(50, 7)).status()).isEqualTo(201);
        Api.Response job = api.post(clinic + "/training-jobs", alice, Map.of("model", "risk", "dataset", "visits",
                "version", 1, "task", "classification", "algorithm", "logistic-regression", "target", "readmitted",
                "features", List.of("age", "prior_admissions", "glucose")));
        assertThat(job.status()).as(job.toString()).isEqualTo(202);
        ServerProcesses.awaitJob(api, clinic + "/training-jobs/" + job.json().path("id").asString(), alice,
                Duration.ofMinutes(3));
        assertThat(api.post(clinic + "/models/risk/versions/1/approval", bob, Map.of("reason", "ok")).status())
                .isEqualTo(200);
        assertThat(api.put(clinic + "/deployments/risk", bob, Map.of("model", "risk", "version", 1)).status())
                .isEqualTo(200);
        Map<String, Object> patient = Map.of("instances", List.of(Map.of("age", 61, "prior_admissions", 2,
                "glucose", 140.0)));
        JsonNode predicted = api.post(clinic + "/deployments/risk/predictions",
                ServerProcesses.predictorToken(api, admin, "clinic", "scorer"), patient).json().path("predictions");
        assertThat(predicted.size()).isEqualTo(1);

        // only a platform administrator backs up
        assertThat(api.post("/api/v1/platform/backups", alice, Map.of()).status()).isEqualTo(403);
        JsonNode first = backUp(api, admin);
        assertThat(first.path("result").path("blobsCopied").asInt()).as(first.toString()).isGreaterThanOrEqualTo(3);
        JsonNode second = backUp(api, admin);
        String backup = second.path("result").path("backup").asString();
        assertThat(second.path("result").path("blobsCopied").asInt()).as("incremental: nothing new to copy")
                .isZero();
        assertThat(second.path("result").path("blobsReused").asInt())
                .isEqualTo(first.path("result").path("blobsCopied").asInt());
        // citadel.backup.keep=2: the third backup deletes the first, and keeps every blob the others name
        JsonNode third = backUp(api, admin);
        assertThat(third.path("result").path("pruned").asInt()).isEqualTo(1);
        Path pruned = backups.resolve("backups/" + first.path("result").path("backup").asString());
        if (Files.exists(pruned)) {
            try (var left = Files.walk(pruned)) {
                assertThat(left.filter(Files::isRegularFile).toList()).as("files of the pruned backup").isEmpty();
            }
        }
        JsonNode listed = api.get("/api/v1/platform/backups", admin).json();
        assertThat(listed.size()).isEqualTo(2);
        assertThat(listed.get(1).path("id").asString()).isEqualTo(backup);
        assertThat(api.get("/api/v1/platform/backups/19990101t000000z-000000", admin).json().path("code").asString())
                .isEqualTo("backup.not_found");
        assertThat(Files.readString(backups.resolve("backups/" + backup + "/platform.bin"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("encrypted").doesNotContain("alice-b").doesNotContain("clinic-visits");

        // the lab tenant is crypto-shredded after the backups: its key goes from every backup too
        Api.Response erasure = api.post("/api/v1/platform/tenant-erasures", admin, Map.of("tenant", "lab",
                "confirm", "lab"));
        assertThat(erasure.status()).as(erasure.toString()).isEqualTo(202);
        ServerProcesses.awaitJob(api, "/api/v1/platform/tenant-erasures/" + erasure.json().path("id").asString(), admin,
                Duration.ofMinutes(2));
        assertThat(backups.resolve("backups/" + backup + "/tenants/lab.key")).doesNotExist();
        assertThat(backups.resolve("backups/" + backup + "/tenants/clinic.key")).exists();

        // disaster: the server, its data directory (keyring included) and its database are gone
        before.process().destroyForcibly().waitFor();
        deleteTree(work.resolve("data"));

        // a tampered backup is refused: one flipped byte in a blob
        Path tampered = work.resolve("tampered");
        copyTree(backups, tampered);
        JsonNode manifest = Api.JSON.readTree(Api.JSON.readTree(Files.readString(backups.resolve("backups/" + backup
                + "/manifest.json"))).path("document").asString());
        String clinicBlob = null;
        for (JsonNode blob : manifest.path("blobs")) {
            if (blob.path("tenant").asString().equals("clinic")) {
                clinicBlob = blob.path("sha256").asString();
            }
        }
        Path blob = tampered.resolve("blobs").resolve(clinicBlob);
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 1;
        Files.write(blob, bytes);
        ServerProcesses.Exit refused = servers.run("restore-tampered", properties(
                TestDatabase.createDatabase("citadel_tampered"), work.resolve("data-tampered"), tampered),
                Duration.ofMinutes(3), "restore", "--backup=" + backup);
        assertThat(refused.code()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("does not match its digest");

        // the restore: a new database, a new data directory, the backup and the passphrase
        Map<String, String> restored = properties(TestDatabase.createDatabase("citadel_restored"),
                work.resolve("restored"), backups);
        ServerProcesses.Exit restore = servers.run("restore", restored, Duration.ofMinutes(4), "restore",
                "--backup=" + backup);
        assertThat(restore.code()).as(restore.output()).isZero();
        assertThat(restore.output()).contains("restored and verified").contains("shredded since the backup, restored as "
                + "erased: [lab]").contains("manifest signature verified");
        ServerProcesses.Exit again = servers.run("restore-again", restored, Duration.ofMinutes(3), "restore",
                "--backup=" + backup);
        assertThat(again.code()).as("never over a live installation").isNotZero();
        assertThat(again.output()).contains("the database is not empty");

        ServerProcesses.Server after = servers.start("restored", restored);
        Api api2 = after.api();
        // the same admin, whose last TOTP step came back with the backup: a code of the next step
        String admin2 = ServerProcesses.signInAdmin(api2, 1);
        String carol = ServerProcesses.signIn(api2, "carol-b");
        JsonNode verification = api2.get(clinic + "/audit/verification", carol).json();
        assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
        assertThat(api2.get(clinic + "/datasets/visits/versions/1/content", ServerProcesses.signIn(api2, "alice-b"))
                .status()).as("the dataset decrypts").isEqualTo(200);
        JsonNode again2 = api2.post(clinic + "/deployments/risk/predictions",
                ServerProcesses.predictorToken(api2, admin2, "clinic", "scorer-2"), patient).json().path("predictions");
        assertThat(again2).as("the restored model answers as before").isEqualTo(predicted);

        // the shredded tenant: nothing of its own came back
        assertThat(api2.get("/api/v1/tenants/lab", admin2).json().path("erasedAt").isNull()).as("marked erased").isFalse();
        assertThat(api2.get("/api/v1/tenants/lab/datasets", ServerProcesses.signIn(api2, "lena-b")).status())
                .as("its memberships are gone with its rows").isEqualTo(404);
        assertThat(work.resolve("restored/blobs/tenants/lab")).doesNotExist();
    }

    private static JsonNode backUp(Api api, String admin) {
        Api.Response started = api.post("/api/v1/platform/backups", admin, Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return ServerProcesses.awaitJob(api, "/api/v1/platform/backups/jobs/" + started.json().path("id").asString(),
                admin, Duration.ofMinutes(2));
    }

    private static Map<String, String> properties(Map<String, String> database, Path data, Path backups) {
        Map<String, String> properties = new HashMap<>(database);
        properties.put("citadel.data-dir", data.toString());
        properties.put("citadel.public-url", "https://citadel.backup.test");
        properties.put("citadel.keys.master-passphrase", PASSPHRASE);
        properties.put("citadel.auth.bootstrap.admin-user", IntegrationTest.ADMIN_USER);
        properties.put("citadel.auth.bootstrap.admin-password", IntegrationTest.ADMIN_PASSWORD);
        properties.put("citadel.auth.bootstrap.admin-totp-secret", IntegrationTest.ADMIN_TOTP_SECRET);
        properties.put("citadel.backup.directory", backups.toString());
        properties.put("citadel.backup.keep", "2");
        properties.put("citadel.jobs.poll-interval", "200ms");
        properties.put("citadel.monitoring.anomalies.request-floor", "1000000");
        return properties;
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
