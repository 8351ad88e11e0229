package dev.citadel.cli;

import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Platform administration of user accounts. */
@Command(name = "users", description = "List, create and show users (platform-admin).")
final class UsersCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List the users.")
    int list(@Option(names = "--offset", defaultValue = "0") int offset,
            @Option(names = "--limit", defaultValue = "100") int limit) {
        root.list("/api/v1/users" + ApiClient.query(ApiClient.params("offset", offset, "limit", limit)), all -> all,
                List.of("USERNAME", "PLATFORM-ADMIN", "TOTP", "DISABLED", "LAST-LOGIN"), u -> new Object[] {u.path("username"),
                    u.path("platformAdmin"), u.path("mfaEnabled"), u.path("disabled"), u.path("lastLoginAt")});
        return ExitCode.OK;
    }

    @Command(name = "create", description = "Create a user. The password is asked twice (or taken from $CITADEL_NEW_PASSWORD).")
    int create(@Parameters(paramLabel = "USERNAME") String username,
            @Option(names = "--platform-admin", description = "Make another platform administrator.") boolean platformAdmin) {
        char[] password = newPassword();
        try {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("username", username);
            body.put("password", new String(password));
            if (platformAdmin) {
                body.put("platformAdmin", true);
            }
            JsonNode user = root.client().post("/api/v1/users", body);
            root.print(user, () -> userTable(user));
            return ExitCode.OK;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Command(name = "show", description = "Show a user.")
    int show(@Parameters(paramLabel = "USERNAME") String username) {
        JsonNode user = root.client().get("/api/v1/users/" + ApiClient.segment(username));
        root.print(user, () -> userTable(user));
        return ExitCode.OK;
    }

    private char[] newPassword() {
        Io io = root.io();
        if (io.env("CITADEL_NEW_PASSWORD") != null) {
            return io.env("CITADEL_NEW_PASSWORD").toCharArray();
        }
        char[] first = io.prompter().secret("New user's password: ");
        char[] second = io.prompter().secret("Repeat it: ");
        if (first == null || second == null || first.length == 0) {
            throw CliException.usage("no password: type it when asked, or set CITADEL_NEW_PASSWORD");
        }
        boolean same = Arrays.equals(first, second);
        Arrays.fill(second, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            throw CliException.usage("the passwords differ");
        }
        return first;
    }

    private static Table userTable(JsonNode user) {
        return Table.fields(user, "id", "username", "platformAdmin", "mfaEnabled", "disabled", "createdAt", "lastLoginAt");
    }
}
