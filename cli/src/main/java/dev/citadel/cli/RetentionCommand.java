package dev.citadel.cli;

import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** How long dataset versions are kept (tenant-admin). */
@Command(name = "retention", description = "Show and set how long dataset versions are kept; dry-run and run it "
        + "(tenant-admin; show and report also auditor).")
final class RetentionCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "show", description = "The retention settings and the last run.")
    int show() {
        JsonNode settings = root.client().get(root.tenantPath("/retention"));
        root.print(settings, () -> Table.fields(settings, "datasetVersionDays", "datasets", "auditYears", "lastRunAt",
                "lastRunDeleted"));
        return ExitCode.OK;
    }

    @Command(name = "set", description = "Set the retention of dataset versions.")
    int set(@Option(names = "--days", description = "Days a dataset version is kept (leave out to keep them).") Integer days,
            @Option(names = "--dataset", description = "Per-dataset days, NAME=DAYS (repeatable).") Map<String, Integer> datasets,
            @Option(names = "--audit-years", description = "The audit retention you commit to.") Integer auditYears) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (days != null) {
            body.put("datasetVersionDays", days);
        }
        if (datasets != null) {
            ObjectNode overrides = body.putObject("datasets");
            datasets.forEach(overrides::put);
        }
        if (auditYears != null) {
            body.put("auditYears", auditYears);
        }
        JsonNode settings = root.client().put(root.tenantPath("/retention"), body);
        root.print(settings, () -> Table.fields(settings, "datasetVersionDays", "datasets", "auditYears"));
        return ExitCode.OK;
    }

    @Command(name = "report", description = "Dry run: the versions the next run would erase.")
    int report() {
        root.list(root.tenantPath("/retention/report"), json -> json.path("versions"), HEADERS, RetentionCommand::row);
        return ExitCode.OK;
    }

    @Command(name = "run", description = "Erase what is past its retention now.")
    int run() {
        JsonNode result = root.client().post(root.tenantPath("/retention/runs"), null);
        root.print(result, () -> {
            Table table = Table.of(HEADERS);
            result.path("versions").forEach(v -> table.row(row(v)));
            return table;
        });
        root.say("Erased " + result.path("erased").asInt() + " versions.");
        return ExitCode.OK;
    }

    private static final List<String> HEADERS = List.of("DATASET", "VERSION", "CREATED", "AGE-DAYS", "LIMIT-DAYS");

    private static Object[] row(JsonNode v) {
        return new Object[] {v.path("dataset"), v.path("version"), v.path("createdAt"), v.path("ageDays"), v.path("limitDays")};
    }
}
