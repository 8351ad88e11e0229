package dev.citadel.cli;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * Backups of the whole installation (platform-admin). Restoring is a server command, run where the
 * server runs: {@code java -jar citadel-server.jar restore} (docs/operations.md).
 */
@Command(name = "backup", description = "Back up the whole installation to the configured backup target, and list "
        + "the backups (platform-admin). Restore with the server's `restore` command.")
final class BackupCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "create", description = "Start a backup: encrypted, signed, incremental for blobs.")
    int create(@Option(names = "--wait", description = "Wait until the backup is complete.") boolean wait) {
        JsonNode job = root.client().post("/api/v1/platform/backups", null);
        if (wait) {
            job = new JobWatcher(root, java.time.Duration.ofMillis(500), java.time.Duration.ofHours(12))
                    .await("/api/v1/platform/backups/jobs/" + ApiClient.segment(job.path("id").asString()));
            if (!"succeeded".equals(job.path("state").asString())) {
                throw CliException.failed("the backup " + job.path("state").asString() + ": " + job.path("error").asString());
            }
        }
        JsonNode shown = job;
        root.print(shown, () -> Table.fields(shown, "id", "state", "phase", "percent", "result", "error"));
        if (wait) {
            root.say("Backup " + shown.path("result").path("backup").asString() + " written.");
        }
        return ExitCode.OK;
    }

    @Command(name = "list", description = "The complete backups in the target, newest first.")
    int list() {
        root.list("/api/v1/platform/backups", json -> json, HEADERS, BackupCommand::row);
        return ExitCode.OK;
    }

    @Command(name = "show", description = "One backup, from its signed manifest.")
    int show(@Parameters(paramLabel = "ID", description = "The backup id, e.g. 20261123t091500z-3f2a1c.") String id) {
        JsonNode backup = root.client().get("/api/v1/platform/backups/" + ApiClient.segment(id));
        root.print(backup, () -> Table.fields(backup, "id", "createdAt", "completedAt", "requestedBy", "database",
                "schemaVersion", "tenants", "blobs", "bytes", "keyring"));
        return ExitCode.OK;
    }

    private static final List<String> HEADERS = List.of("ID", "CREATED", "TENANTS", "BLOBS", "BYTES");

    private static Object[] row(JsonNode b) {
        return new Object[] {b.path("id"), b.path("createdAt"), b.path("tenants"), b.path("blobs"), b.path("bytes")};
    }
}
