package dev.citadel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ObjectNode;

/** Shows and sets the stored configuration; never shows the tokens. */
@Command(name = "config", description = "Show or change the CLI's configuration.")
final class ConfigCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "show", description = "Show the server, its pin, who is logged in and the default tenant.")
    int show() {
        Profile profile = root.store().load();
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("directory", root.store().directory().toString());
        json.put("server", profile.server());
        json.put("pin", profile.pin());
        json.put("caCert", profile.caCert());
        json.put("principal", profile.principal());
        json.put("loggedIn", profile.signedIn());
        json.put("tenant", profile.tenant());
        root.print(json, () -> Table.fields(json, "directory", "server", "pin", "caCert", "principal", "loggedIn", "tenant"));
        return ExitCode.OK;
    }

    @Command(name = "set", description = "Set a value. Keys: tenant (the default tenant).")
    int set(@Parameters(paramLabel = "KEY") String key, @Parameters(paramLabel = "VALUE") String value) {
        if (!"tenant".equals(key)) {
            throw CliException.usage("unknown key " + Text.clean(key) + ": the only key is tenant");
        }
        root.store().save(root.store().load().withTenant(CitadelCommand.checkTenant(value)));
        root.say("Default tenant: " + value + ".");
        return ExitCode.OK;
    }

    @Command(name = "unset", description = "Remove a value. Keys: tenant.")
    int unset(@Parameters(paramLabel = "KEY") String key) {
        if (!"tenant".equals(key)) {
            throw CliException.usage("unknown key " + Text.clean(key) + ": the only key is tenant");
        }
        root.store().save(root.store().load().withTenant(null));
        return ExitCode.OK;
    }
}
