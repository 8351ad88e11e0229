package dev.citadel.cli;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Datasets: uploads with their schema and privacy findings, downloads of the protected content, the privacy policy. */
@Command(name = "datasets", description = "Upload, list, show and download datasets; set their privacy policy.")
final class DatasetsCommand {

    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    @ParentCommand
    CitadelCommand root;

    @Command(name = "list", description = "List the tenant's datasets.")
    int list() {
        root.list(root.tenantPath("/datasets"), all -> all, List.of("NAME", "LATEST-VERSION", "DESCRIPTION", "UPDATED"),
                d -> new Object[] {d.path("name"), d.path("latestVersion"), d.path("description"), d.path("updatedAt")});
        return ExitCode.OK;
    }

    @Command(name = "upload", description = "Upload a CSV (optionally .gz) or .xlsx file as the dataset's next version.")
    int upload(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "FILE") Path file,
            @Option(names = "--sheet", description = "The workbook's sheet (default: the first).") String sheet) {
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("no such file: " + file);
        }
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = lower.endsWith(".xlsx") ? XLSX : "text/csv";
        Map<String, String> headers = new HashMap<>();
        if (lower.endsWith(".gz")) {
            headers.put("Content-Encoding", "gzip");
        }
        JsonNode version;
        try {
            version = root.client().send("POST", root.tenantPath("/datasets/" + ApiClient.segment(name) + "/versions"
                    + ApiClient.query(ApiClient.params("sheet", sheet))), type, headers, BodyPublishers.ofFile(file)).json();
        } catch (FileNotFoundException e) {
            throw CliException.usage("cannot read " + file);
        }
        printVersion(version);
        return ExitCode.OK;
    }

    @Command(name = "show", description = "Show a dataset and a version's schema and privacy findings (default: the latest).")
    int show(@Parameters(paramLabel = "NAME") String name,
            @Option(names = {"-v", "--version"}, paramLabel = "N") Integer version) {
        String base = root.tenantPath("/datasets/" + ApiClient.segment(name));
        JsonNode dataset = root.client().get(base);
        int shown = version != null ? version : dataset.path("latestVersion").asInt();
        if (shown < 1) {
            root.print(dataset, () -> Table.fields(dataset, "name", "description", "latestVersion", "createdAt", "createdBy"));
            return ExitCode.OK;
        }
        JsonNode detail = root.client().get(base + "/versions/" + shown);
        if (root.format() == Format.JSON) {
            ObjectNode both = Json.MAPPER.createObjectNode();
            both.set("dataset", dataset);
            both.set("version", detail);
            root.print(both, null);
            return ExitCode.OK;
        }
        Table.fields(dataset, "name", "description", "latestVersion", "privacyPolicy", "createdBy", "updatedAt")
                .print(root.io().out(), root.format());
        root.io().out().println();
        printVersion(detail);
        return ExitCode.OK;
    }

    @Command(name = "download", description = "Download a version's protected content as CSV.")
    int download(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "VERSION") int version,
            @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Default: NAME-vVERSION.csv") Path file,
            @Option(names = "--force", description = "Replace an existing file.") boolean force) {
        Path target = file != null ? file : Path.of(name.replaceAll("[^A-Za-z0-9._-]", "_") + "-v" + version + ".csv");
        if (Files.exists(target) && !force) {
            throw CliException.usage(target + " exists; pass --force to replace it");
        }
        root.client().download(root.tenantPath("/datasets/" + ApiClient.segment(name) + "/versions/" + version + "/content"), target);
        root.say("Wrote " + target + ".");
        return ExitCode.OK;
    }

    @Command(name = "privacy", description = "Show the privacy policy and the latest findings, or set the policy with --set.")
    int privacy(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--set", paramLabel = "COLUMN=ACTION", split = ",",
                    description = "tokenize, mask, drop, generalize, reject or keep; replaces the whole policy.")
            Map<String, String> columns) {
        String base = root.tenantPath("/datasets/" + ApiClient.segment(name));
        if (columns != null && !columns.isEmpty()) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            ObjectNode policy = body.putObject("columns");
            columns.forEach(policy::put);
            JsonNode dataset = root.client().put(base + "/privacy", body);
            root.print(dataset, () -> policyTable(dataset));
            return ExitCode.OK;
        }
        JsonNode dataset = root.client().get(base);
        if (root.format() == Format.JSON) {
            root.print(dataset.path("privacyPolicy"), null);
            return ExitCode.OK;
        }
        policyTable(dataset).print(root.io().out(), root.format());
        int latest = dataset.path("latestVersion").asInt();
        if (latest > 0) {
            root.io().out().println();
            root.say("Findings in version " + latest + ":");
            findings(root.client().get(base + "/versions/" + latest)).print(root.io().out(), root.format());
        }
        return ExitCode.OK;
    }

    @Command(name = "budget", description = "Show a dataset version's differential-privacy ledger: budget, spent, "
            + "remaining and every charge (default: the latest version).")
    int budget(@Parameters(paramLabel = "NAME") String name,
            @Option(names = {"-v", "--version"}, paramLabel = "N") Integer version) {
        String base = root.tenantPath("/datasets/" + ApiClient.segment(name));
        int shown = version != null ? version : root.client().get(base).path("latestVersion").asInt();
        if (shown < 1) {
            throw CliException.failed("dataset " + name + " has no version yet");
        }
        JsonNode ledger = root.client().get(base + "/versions/" + shown + "/privacy-ledger");
        if (root.format() != Format.TABLE) {
            root.print(ledger, () -> charges(ledger));
            return ExitCode.OK;
        }
        Table.fields(ledger, "dataset", "version", "budget", "defaultBudget", "sensitive", "spentEpsilon", "spentDelta",
                "remainingEpsilon", "composition").print(root.io().out(), Format.TABLE);
        root.io().out().println();
        root.say("Charges:");
        Table charges = charges(ledger);
        if (charges.size() == 0) {
            root.say("  none");
        } else {
            charges.print(root.io().out(), Format.TABLE);
        }
        return ExitCode.OK;
    }

    @Command(name = "set-budget", description = "Set a dataset's differential-privacy budget (epsilon per version) and "
            + "whether it is sensitive (a sensitive dataset is trained only with DP); data stewards.")
    int setBudget(@Parameters(paramLabel = "NAME") String name,
            @Parameters(paramLabel = "EPSILON", arity = "0..1", description = "The epsilon each version may spend.") Double epsilon,
            @Option(names = "--sensitive", negatable = true,
                    description = "Flag the dataset sensitive (--no-sensitive clears it); unchanged when left out.")
            Boolean sensitive) {
        if (epsilon == null && sensitive == null) {
            throw CliException.usage("give the EPSILON budget, --sensitive or --no-sensitive");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (epsilon != null) {
            body.put("budget", epsilon);
        }
        if (sensitive != null) {
            body.put("sensitive", sensitive);
        }
        JsonNode budget = root.client().put(root.tenantPath("/datasets/" + ApiClient.segment(name) + "/privacy-budget"), body);
        root.print(budget, () -> Table.fields(budget, "dataset", "budget", "defaultBudget", "sensitive"));
        return ExitCode.OK;
    }

    @Command(name = "dp-profile", description = "A differentially private profile of a version (noisy count, mean, "
            + "histograms), charged to its privacy budget; for roles that cannot read the content too.")
    int dpProfile(@Parameters(paramLabel = "NAME") String name,
            @Option(names = {"-v", "--version"}, paramLabel = "N", description = "Default: the latest.") Integer version,
            @Option(names = "--epsilon", required = true, paramLabel = "EPSILON",
                    description = "Charged to the version's privacy budget (at most 10).") double epsilon,
            @Option(names = "--delta", paramLabel = "DELTA", description = "Default 1/n\u00b2.") Double delta,
            @Option(names = "--bound", paramLabel = "COLUMN=LOW,HIGH",
                    description = "A numeric column to profile, with its declared range. Repeat per column.")
            Map<String, String> bounds,
            @Option(names = "--bins", paramLabel = "COLUMN=N", description = "A histogram of N bins over a --bound column.")
            Map<String, Integer> bins,
            @Option(names = "--categories", paramLabel = "COLUMN=A,B,...",
                    description = "A categorical column to profile, with the categories to count. Repeat per column.")
            Map<String, String> categories) {
        if ((bounds == null || bounds.isEmpty()) && (categories == null || categories.isEmpty())) {
            throw CliException.usage("name at least one column with --bound or --categories");
        }
        if (bins != null && bounds != null && !bounds.keySet().containsAll(bins.keySet())
                || bins != null && bounds == null) {
            throw CliException.usage("--bins needs a --bound for the same column");
        }
        String base = root.tenantPath("/datasets/" + ApiClient.segment(name));
        int profiled = version != null ? version : root.client().get(base).path("latestVersion").asInt();
        if (profiled < 1) {
            throw CliException.failed("dataset " + name + " has no version yet");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("epsilon", epsilon);
        if (delta != null) {
            body.put("delta", delta);
        }
        var columns = body.putArray("columns");
        if (bounds != null) {
            bounds.forEach((column, range) -> {
                ObjectNode c = columns.addObject().put("name", column);
                c.set("bounds", TrainCommand.range(column, range));
                if (bins != null && bins.containsKey(column)) {
                    c.put("bins", bins.get(column));
                }
            });
        }
        if (categories != null) {
            categories.forEach((column, values) -> {
                var list = columns.addObject().put("name", column).putArray("categories");
                for (String value : values.split(",", -1)) {
                    list.add(value.strip());
                }
            });
        }
        JsonNode profile = root.client().post(base + "/versions/" + profiled + "/dp-profile", body);
        if (root.format() != Format.TABLE) {
            root.print(profile, () -> histograms(profile));
            return ExitCode.OK;
        }
        Table.fields(profile, "dataset", "version", "epsilon", "delta", "rho", "queries", "mechanism", "rows")
                .print(root.io().out(), Format.TABLE);
        root.io().out().println();
        Table summary = Table.of("COLUMN", "COUNT", "MEAN", "BOUNDS");
        profile.path("columns").forEach(c -> summary.row(c.path("name"), c.path("count"), c.path("mean"), c.path("bounds")));
        summary.print(root.io().out(), Format.TABLE);
        Table histograms = histograms(profile);
        if (histograms.size() > 0) {
            root.io().out().println();
            histograms.print(root.io().out(), Format.TABLE);
        }
        root.say("Every figure is noisy (differential privacy); epsilon " + profile.path("epsilon").asString()
                + " was charged to the version's privacy budget.");
        return ExitCode.OK;
    }

    private static Table histograms(JsonNode profile) {
        Table table = Table.of("COLUMN", "BIN", "COUNT");
        profile.path("columns").forEach(c -> c.path("histogram").forEach(b -> table.row(c.path("name"), b.path("bin"),
                b.path("count"))));
        return table;
    }

    private static Table charges(JsonNode ledger) {
        Table table = Table.of("JOB", "KIND", "MODEL", "EPSILON", "DELTA", "CHARGED-BY", "CHARGED-AT");
        ledger.path("charges").forEach(c -> table.row(c.path("job"), c.path("kind"), c.path("model"), c.path("epsilon"),
                c.path("delta"),
                c.path("chargedBy"), c.path("chargedAt")));
        return table;
    }

    private static Table policyTable(JsonNode dataset) {
        Table table = Table.of("COLUMN", "ACTION");
        dataset.path("privacyPolicy").properties().forEach(e -> table.row(e.getKey(), e.getValue()));
        return table;
    }

    private void printVersion(JsonNode version) {
        if (root.format() == Format.JSON) {
            root.print(version, null);
            return;
        }
        if (root.format() == Format.CSV) {
            schema(version).print(root.io().out(), Format.CSV);
            return;
        }
        Table.fields(version, "dataset", "version", "rows", "columns", "sha256", "sourceFormat", "keptSensitive", "createdAt")
                .print(root.io().out(), Format.TABLE);
        JsonNode validation = version.path("validation");
        root.say("Validation: " + (validation.path("passed").asBoolean(true) ? "passed" : "FAILED"));
        for (JsonNode result : validation.path("results")) {
            if (!result.path("passed").asBoolean()) {
                root.say("  " + result.path("column").asString("") + " " + result.path("check").asString() + ": "
                        + result.path("failures").asLong() + " failing rows");
            }
        }
        root.io().out().println();
        root.say("Sensitive data found (never the values):");
        Table findings = findings(version);
        if (findings.size() == 0) {
            root.say("  none");
        } else {
            findings.print(root.io().out(), Format.TABLE);
        }
        root.io().out().println();
        root.say("Schema:");
        schema(version).print(root.io().out(), Format.TABLE);
    }

    private static Table findings(JsonNode version) {
        Table table = Table.of("COLUMN", "KIND", "MATCH-RATIO", "CONFIDENCE", "ACTION");
        version.path("findings").forEach(f -> table.row(f.path("column"), f.path("kind"), f.path("matchRatio"),
                f.path("confidence"), f.path("action")));
        return table;
    }

    private static Table schema(JsonNode version) {
        Table table = Table.of("COLUMN", "TYPE", "NULLS", "DISTINCT", "MIN", "MAX", "MEAN");
        for (JsonNode column : version.path("schema")) {
            table.row(column.path("name"), column.path("type"), column.path("nullCount"), column.path("distinct"),
                    column.path("min"), column.path("max"), column.path("mean"));
        }
        return table;
    }

}
