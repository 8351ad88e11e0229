package dev.citadel.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import tools.jackson.databind.JsonNode;

/** The {@code citadel} command: global options, the session, and the subcommands. */
@Command(name = "citadel", mixinStandardHelpOptions = true, version = "citadel 0.1.0",
        description = "Command-line client of a Citadel server: every command calls its REST API.",
        subcommands = {LoginCommand.class, LogoutCommand.class, ConfigCommand.class, TenantsCommand.class,
                UsersCommand.class, MembersCommand.class, ServiceAccountsCommand.class, DatasetsCommand.class,
                TrainCommand.class, JobsCommand.class, ModelsCommand.class, DeployCommand.class, PredictCommand.class,
                AuditCommand.class, KeysCommand.class, PoliciesCommand.class, RetentionCommand.class, ErasureCommand.class,
                ReportsCommand.class, BackupCommand.class, CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:any other failure: a refused request (4xx not listed below), a failed verification",
            "2:usage error: wrong options or arguments",
            "3:authentication or authorisation failure (not logged in, session expired, 401, 403)",
            "4:not found (404), including another tenant's resources",
            "5:server error (5xx), server unreachable, or its certificate does not match the pin"},
        footer = {"%nConfiguration: $CITADEL_CONFIG_DIR, else $XDG_CONFIG_HOME/citadel, else ~/.config/citadel.",
            "See docs/cli.md."})
final class CitadelCommand {

    private static final Pattern TENANT = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");

    @Option(names = {"-t", "--tenant"}, scope = ScopeType.INHERIT, paramLabel = "TENANT",
            description = "The tenant (default: `citadel config set tenant`, or the one tenant you belong to).")
    String tenant;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Output: table (default), json (the server's answer) or csv.")
    Format output = Format.TABLE;

    private final Io io;
    private ConfigStore store;
    private ApiClient client;

    CitadelCommand(Io io) {
        this.io = io;
    }

    Io io() {
        return io;
    }

    Format format() {
        return output;
    }

    ConfigStore store() {
        if (store == null) {
            store = ConfigStore.locate(io);
        }
        return store;
    }

    /** The client of the server the profile names, trusting it as the profile says. */
    ApiClient client() {
        if (client == null) {
            Profile profile = store().load();
            if (profile.server() == null) {
                throw new CliException(ExitCode.AUTH, "not logged in: run `citadel login --server https://…` first");
            }
            client = new ApiClient(URI.create(profile.server()), trust(profile), store(), profile, io);
        }
        return client;
    }

    static SSLContext trust(Profile profile) {
        if (profile.pin() != null) {
            return Tls.pinned(Pin.parse(profile.pin()));
        }
        if (profile.caCert() != null) {
            return Tls.caCertificates(Path.of(profile.caCert()));
        }
        return Tls.systemDefault();
    }

    /** The tenant of this command: {@code --tenant}, else the configured default. */
    String tenant() {
        String value = tenant != null ? tenant : store().load().tenant();
        if (value == null) {
            throw CliException.usage("no tenant: pass --tenant, or run `citadel config set tenant <id>`");
        }
        return checkTenant(value);
    }

    static String checkTenant(String value) {
        if (!TENANT.matcher(value).matches()) {
            throw CliException.usage("not a tenant id: 1–40 characters of a-z 0-9 -, not starting or ending with -");
        }
        return value;
    }

    /** {@code /api/v1/tenants/<tenant>} followed by {@code path}. */
    String tenantPath(String path) {
        return "/api/v1/tenants/" + tenant() + path;
    }

    /** Prints the server's JSON for {@code -o json}, else the table. */
    void print(JsonNode json, Supplier<Table> table) {
        if (output == Format.JSON) {
            io.out().println(Json.pretty(json));
            io.out().flush();
        } else {
            table.get().print(io.out(), output);
        }
    }

    /** GETs a list and prints it: the JSON as is, or one table row per item of {@code items(json)}. */
    JsonNode list(String path, java.util.function.UnaryOperator<JsonNode> items, List<String> headers,
            Function<JsonNode, Object[]> row) {
        JsonNode json = client().get(path);
        print(json, () -> {
            Table table = Table.of(headers);
            items.apply(json).forEach(item -> table.row(row.apply(item)));
            return table;
        });
        return json;
    }

    /** A line for people; nothing in JSON or CSV mode, so that scripts read only data. */
    void say(String message) {
        if (output == Format.TABLE) {
            io.out().println(Text.clean(message));
            io.out().flush();
        }
    }
}
