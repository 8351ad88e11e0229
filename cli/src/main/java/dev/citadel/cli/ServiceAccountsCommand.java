package dev.citadel.cli;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tenant's service accounts. A new or rotated client secret is written to a new 0600 file the
 * user names, never printed: terminals, scroll-back and CI logs keep what is printed.
 */
@Command(name = "service-accounts", description = "Manage the tenant's service accounts (tenant-admin).")
final class ServiceAccountsCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List the service accounts.")
    int list() {
        root.list(root.tenantPath("/service-accounts"), all -> all, List.of("NAME", "CLIENT-ID", "ROLES", "DISABLED", "LAST-USED"),
                a -> new Object[] {a.path("name"), a.path("clientId"), a.path("roles"), a.path("disabled"), a.path("lastUsedAt")});
        return ExitCode.OK;
    }

    @Command(name = "create", description = "Create a service account; its secret goes to --secret-file.")
    int create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = {"-r", "--role"}, required = true, split = ",", paramLabel = "ROLE") List<String> roles,
            @Option(names = "--secret-file", required = true, paramLabel = "FILE",
                    description = "A new file (0600) to write the client secret to.") Path secretFile) {
        refuseExisting(secretFile);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("name", name);
        roles.forEach(body.putArray("roles")::add);
        return withSecret(root.client().post(root.tenantPath("/service-accounts"), body), secretFile);
    }

    @Command(name = "rotate-secret", description = "Replace the secret (the old one and its tokens stop working).")
    int rotate(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--secret-file", required = true, paramLabel = "FILE") Path secretFile) {
        refuseExisting(secretFile);
        return withSecret(root.client().post(root.tenantPath("/service-accounts/" + ApiClient.segment(name) + "/secret-rotation"),
                null), secretFile);
    }

    @Command(name = "disable", description = "Disable a service account; its tokens stop working at once.")
    int disable(@Parameters(paramLabel = "NAME") String name) {
        JsonNode account = root.client().post(root.tenantPath("/service-accounts/" + ApiClient.segment(name) + "/disablement"), null);
        root.print(redacted(account), () -> table(account));
        return ExitCode.OK;
    }

    private int withSecret(JsonNode account, Path secretFile) {
        ConfigStore.writeNewPrivateFile(secretFile, account.path("clientSecret").asString() + "\n");
        JsonNode shown = redacted(account);
        root.print(shown, () -> table(shown));
        root.say("The client secret is in " + secretFile + " (readable only by you); it is not shown again.");
        return ExitCode.OK;
    }

    private static void refuseExisting(Path file) {
        if (java.nio.file.Files.exists(file)) {
            throw CliException.usage(file + " exists; the secret is written only to a new file");
        }
    }

    private static JsonNode redacted(JsonNode account) {
        ObjectNode copy = (ObjectNode) account.deepCopy();
        copy.remove("clientSecret");
        return copy;
    }

    private static Table table(JsonNode account) {
        return Table.fields(account, "name", "clientId", "roles", "disabled", "createdAt", "secretCreatedAt", "lastUsedAt");
    }
}
