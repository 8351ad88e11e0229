package dev.citadel.bench;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.citadel.CitadelApplication;
import dev.citadel.backup.RestoreCommand;
import dev.citadel.crypto.BlobContext;
import dev.citadel.platform.TenantId;
import dev.citadel.storage.EncryptedBlobs;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11's backup and restore throughput, in one run: Citadel on its embedded defaults (H2, the
 * filesystem store) with a tenant holding {@code MiB} of encrypted blobs (1 GiB by default); a full
 * backup through the API, an incremental one with nothing new, and a restore into a new data
 * directory (load, copy, then verification, which decrypts every blob again). The baseline is what
 * any backup must do at least — read every stored blob, hash it and write it elsewhere on the same
 * disk — timed on the same files in the same run.
 */
public final class BackupBenchmark {

    private static final int BLOB_MIB = 32;

    private BackupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        Path dir = Files.createTempDirectory("citadel-backup-bench");
        String passphrase = ServingBenchmark.secret(new SecureRandom());
        String backups = "--citadel.backup.directory=" + dir.resolve("backups");
        ServingBenchmark.Started started = ServingBenchmark.start(dir, passphrase, new Class<?>[0], backups);
        long bytes;
        double full;
        double incremental;
        String backup;
        try {
            String tenant = started.setup().tenant("backup", "enterprise");
            EncryptedBlobs blobs = started.context().getBean(EncryptedBlobs.class);
            byte[] chunk = new byte[1 << 20];
            new SecureRandom().nextBytes(chunk);
            for (int i = 0; i < mib / BLOB_MIB; i++) {
                blobs.write(new BlobContext(new TenantId(tenant), BlobContext.BlobKind.DATASET, UUID.randomUUID(), 1),
                        out -> {
                            for (int m = 0; m < BLOB_MIB; m++) {
                                out.write(chunk);
                            }
                        });
            }
            bytes = blobs.storedBytes(new TenantId(tenant));
            System.out.printf("tenant %s: %d blobs, %.1f MiB stored%n", tenant, mib / BLOB_MIB, bytes / 1048576.0);
            long start = System.nanoTime();
            JsonNode first = backUp(started.setup());
            full = (System.nanoTime() - start) / 1e9;
            backup = first.path("result").path("backup").asString();
            start = System.nanoTime();
            JsonNode second = backUp(started.setup());
            incremental = (System.nanoTime() - start) / 1e9;
            System.out.println("full backup: " + first.path("result") + "\nincremental: " + second.path("result"));
        } finally {
            started.context().close();
        }

        double baseline = copyWithDigests(dir.resolve("data/blobs/tenants"), dir.resolve("baseline"));

        ByteArrayOutputStream report = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int exit = RestoreCommand.run(CitadelApplication.class, new String[] {"--backup=" + backup,
            "--citadel.data-dir=" + dir.resolve("restored"), "--citadel.keys.master-passphrase=" + passphrase, backups,
            "--logging.level.root=WARN"}, new PrintStream(report, true, java.nio.charset.StandardCharsets.UTF_8));
        double restore = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("restore failed: " + report);
        }
        double mb = bytes / 1e6;
        System.out.println(report.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
        System.out.printf("%nbackup and restore of %.0f MB of blobs (%d MiB requested)%n", mb, mib);
        System.out.printf("  baseline: read, SHA-256 and write every blob  %6.1f s  %7.1f MB/s%n", baseline, mb / baseline);
        System.out.printf("  full backup (API to manifest)                 %6.1f s  %7.1f MB/s  ratio %.2f%n", full, mb / full,
                baseline / full);
        System.out.printf("  incremental backup, nothing new               %6.1f s%n", incremental);
        System.out.printf("  restore (load, copy, verify every blob)       %6.1f s  %7.1f MB/s  ratio %.2f%n", restore,
                mb / restore, baseline / restore);
    }

    private static JsonNode backUp(ServingBenchmark.Setup setup) throws Exception {
        String id = setup.asAdmin(202, "POST", "/api/v1/platform/backups", null).path("id").asString();
        long deadline = System.nanoTime() + Duration.ofHours(1).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = setup.asAdmin(200, "GET", "/api/v1/platform/backups/jobs/" + id, null);
            String state = job.path("state").asString();
            if (state.equals("succeeded")) {
                return job;
            }
            if (state.equals("failed") || state.equals("cancelled")) {
                throw new IllegalStateException("backup " + job);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("backup did not finish");
    }

    /** Seconds to read, hash and write every file under {@code from} into {@code to}. */
    private static double copyWithDigests(Path from, Path to) throws Exception {
        long start = System.nanoTime();
        List<Path> files;
        try (var walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        Files.createDirectories(to);
        int n = 0;
        for (Path file : files) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file);
                    OutputStream out = new DigestOutputStream(Files.newOutputStream(to.resolve("blob-" + n++)), digest)) {
                in.transferTo(out);
            }
            digest.digest();
        }
        return (System.nanoTime() - start) / 1e9;
    }

}
