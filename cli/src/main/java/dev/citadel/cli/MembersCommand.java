package dev.citadel.cli;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A tenant's members and their roles. */
@Command(name = "members", description = "List, add and remove the tenant's members (tenant-admin).")
final class MembersCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List the members and their roles.")
    int list() {
        root.list(root.tenantPath("/members"), all -> all, List.of("NAME", "KIND", "ROLES", "TOTP", "DISABLED"),
                m -> new Object[] {m.path("name"), m.path("kind"), m.path("roles"), m.path("mfaEnabled"), m.path("disabled")});
        return ExitCode.OK;
    }

    @Command(name = "add", description = "Add a user with roles, or replace its roles.")
    int add(@Parameters(paramLabel = "USERNAME") String username,
            @Option(names = {"-r", "--role"}, required = true, split = ",", paramLabel = "ROLE",
                    description = "tenant-admin, data-steward, data-scientist, ml-engineer, predictor, viewer or auditor.")
            List<String> roles) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        roles.forEach(body.putArray("roles")::add);
        JsonNode member = root.client().put(root.tenantPath("/members/" + ApiClient.segment(username)), body);
        root.print(member, () -> Table.fields(member, "name", "kind", "roles", "mfaEnabled", "disabled"));
        return ExitCode.OK;
    }

    @Command(name = "remove", description = "Remove a member from the tenant.")
    int remove(@Parameters(paramLabel = "USERNAME") String username) {
        root.client().delete(root.tenantPath("/members/" + ApiClient.segment(username)));
        root.say("Removed " + username + " from " + root.tenant() + ".");
        return ExitCode.OK;
    }
}
