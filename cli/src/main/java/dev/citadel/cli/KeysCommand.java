package dev.citadel.cli;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** The tenant's key versions (never key material) and their rotation. */
@Command(name = "keys", description = "List and rotate the tenant's keys (tenant-admin; list also auditor).")
final class KeysCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List the key versions by purpose.")
    int list() {
        root.list(root.tenantPath("/keys"), json -> json.path("keys"), HEADERS, KeysCommand::row);
        return ExitCode.OK;
    }

    @Command(name = "rotate", description = "Give blobs, secrets and signing a new primary key; re-encrypt in the background.")
    int rotate() {
        JsonNode rotated = root.client().post(root.tenantPath("/keys/rotation"), null);
        root.print(rotated, () -> table(rotated));
        root.say("Re-encryption job " + rotated.path("reencryption").path("id").asString() + ": follow it with `citadel jobs show "
                + rotated.path("reencryption").path("id").asString() + "`.");
        return ExitCode.OK;
    }

    private static final List<String> HEADERS = List.of("PURPOSE", "KEY-ID", "STATUS", "CREATED", "RETIRED", "DESTROYED");

    private static Table table(JsonNode keys) {
        Table table = Table.of(HEADERS);
        keys.path("keys").forEach(k -> table.row(row(k)));
        return table;
    }

    private static Object[] row(JsonNode k) {
        return new Object[] {k.path("purpose"), k.path("keyId"), k.path("status"), k.path("createdAt"), k.path("retiredAt"),
            k.path("destroyedAt")};
    }
}
