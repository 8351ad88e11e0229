package dev.citadel.cli;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** Background jobs: training jobs and the tenant's other jobs (key re-encryption, batch predictions). */
@Command(name = "jobs", description = "Show and list jobs.")
final class JobsCommand {

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List the training jobs, newest first.")
    int list(@Option(names = "--limit", defaultValue = "50") int limit) {
        root.list(root.tenantPath("/training-jobs" + ApiClient.query(ApiClient.params("limit", limit))), all -> all,
                List.of("ID", "MODEL", "STATE", "PERCENT", "VERSION", "CREATED-BY", "CREATED"), j -> new Object[] {j.path("id"),
                    j.path("request").path("model"), j.path("state"), j.path("percent"), j.path("modelVersion").path("version"),
                    j.path("createdBy"), j.path("createdAt")});
        return ExitCode.OK;
    }

    @Command(name = "show", description = "Show a job.")
    int show(@Parameters(paramLabel = "ID") String id,
            @Option(names = "--training", description = "Show it as a training job, with its metrics.") boolean training) {
        if (training) {
            JsonNode job = root.client().get(root.tenantPath("/training-jobs/" + ApiClient.segment(id)));
            root.print(job, () -> trainingTable(job));
        } else {
            JsonNode job = root.client().get(root.tenantPath("/jobs/" + ApiClient.segment(id)));
            root.print(job, () -> {
                Table table = Table.fields(job, "id", "kind", "state", "phase", "percent", "error", "createdBy", "createdAt",
                        "startedAt", "finishedAt");
                job.path("result").properties().forEach(e -> table.row("result." + e.getKey(), e.getValue()));
                return table;
            });
        }
        return ExitCode.OK;
    }

    static Table trainingTable(JsonNode job) {
        Table table = Table.fields(job, "id", "state", "phase", "percent", "error", "createdBy", "createdAt", "durationMillis");
        JsonNode version = job.path("modelVersion");
        if (version.isObject()) {
            table.row("model", version.path("model").asString() + " version " + version.path("version").asInt());
        }
        JsonNode metrics = job.path("metrics");
        for (String metric : new String[] {"testRows", "accuracy", "rocAuc", "rmse", "mae", "r2"}) {
            if (metrics.path(metric).isNumber()) {
                table.row("metrics." + metric, metrics.path(metric));
            }
        }
        if (metrics.path("macro").isObject()) {
            table.row("metrics.macro.f1", metrics.path("macro").path("f1"));
        }
        return table;
    }
}
