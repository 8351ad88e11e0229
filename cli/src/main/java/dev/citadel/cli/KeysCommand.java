package dev.citadel.cli;

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
        JsonNode keys = root.client().get(root.tenantPath("/keys"));
        root.print(keys, () -> table(keys));
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

    private static Table table(JsonNode keys) {
        Table table = Table.of("PURPOSE", "KEY-ID", "STATUS", "CREATED", "RETIRED", "DESTROYED");
        keys.path("keys").forEach(k -> table.row(k.path("purpose"), k.path("keyId"), k.path("status"), k.path("createdAt"),
                k.path("retiredAt"), k.path("destroyedAt")));
        return table;
    }
}
