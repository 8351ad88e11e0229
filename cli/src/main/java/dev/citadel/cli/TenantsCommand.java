package dev.citadel.cli;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Platform administration of tenants. */
@Command(name = "tenants", description = "List, create and show tenants (platform-admin).")
final class TenantsCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List the tenants.")
    int list(@Option(names = "--offset", defaultValue = "0") int offset,
            @Option(names = "--limit", defaultValue = "100") int limit) {
        root.list("/api/v1/tenants" + ApiClient.query(ApiClient.params("offset", offset, "limit", limit)), all -> all,
                List.of("ID", "NAME", "REGION", "PLAN", "CREATED"),
                t -> new Object[] {t.path("id"), t.path("name"), t.path("region"), t.path("plan"), t.path("createdAt")});
        return ExitCode.OK;
    }

    @Command(name = "create", description = "Create a tenant.")
    int create(@Parameters(paramLabel = "ID", description = "The tenant's id (slug), which cannot change.") String id,
            @Option(names = "--name", required = true) String name,
            @Option(names = "--region", required = true, description = "For example eu-west-1.") String region,
            @Option(names = "--plan", description = "free, standard (default) or enterprise.") String plan) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", CitadelCommand.checkTenant(id));
        body.put("name", name);
        body.put("region", region);
        if (plan != null) {
            body.put("plan", plan);
        }
        JsonNode tenant = root.client().post("/api/v1/tenants", body);
        root.print(tenant, () -> tenantTable(tenant));
        return ExitCode.OK;
    }

    @Command(name = "show", description = "Show a tenant (default: the current one).")
    int show(@Parameters(paramLabel = "ID", arity = "0..1") String id) {
        String tenant = id != null ? CitadelCommand.checkTenant(id) : root.tenant();
        JsonNode json = root.client().get("/api/v1/tenants/" + tenant);
        root.print(json, () -> tenantTable(json));
        return ExitCode.OK;
    }

    private static Table tenantTable(JsonNode tenant) {
        Table table = Table.fields(tenant, "id", "name", "region", "plan", "createdAt", "createdBy");
        tenant.path("quotas").properties().forEach(e -> table.row("quotas." + e.getKey(), e.getValue()));
        return table;
    }
}
