package dev.citadel.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Scores instances against a deployment: JSON or CSV in, a table, JSON or CSV out. */
@Command(name = "predict", description = "Score instances from a JSON or CSV file (or standard input) against a deployment.")
final class PredictCommand implements Callable<Integer> {

    private static final int MAX_INPUT_BYTES = 64 * 1024 * 1024;

    @ParentCommand
    CitadelCommand root;

    @Parameters(paramLabel = "DEPLOYMENT")
    String deployment;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "-", description = "The input; - (default) reads standard input.")
    String file;

    @Option(names = "--input-format", paramLabel = "FORMAT", description = "json or csv (default: guessed from the content).")
    PredictionInput.Kind inputFormat;

    @Override
    public Integer call() throws IOException {
        String text = "-".equals(file) ? new String(root.io().in().readNBytes(MAX_INPUT_BYTES), StandardCharsets.UTF_8)
                : readFile(Path.of(file));
        ArrayNode instances = PredictionInput.instances(text, inputFormat != null ? inputFormat : PredictionInput.detect(text));
        if (instances.isEmpty()) {
            throw CliException.usage("no instances in the input");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("instances", instances);
        JsonNode answer = root.client().post(root.tenantPath("/deployments/" + ApiClient.segment(deployment) + "/predictions"), body);
        root.print(answer, () -> table(answer));
        return ExitCode.OK;
    }

    private static String readFile(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw CliException.usage("no such file: " + path);
        }
        if (Files.size(path) > MAX_INPUT_BYTES) {
            throw CliException.usage(path + " is over 64 MiB: use batch predictions");
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    /** One row per instance: its label (or value) and, when the deployment returns them, one column per class score. */
    static Table table(JsonNode answer) {
        JsonNode predictions = answer.path("predictions");
        Set<String> classes = new LinkedHashSet<>();
        predictions.forEach(p -> p.path("scores").properties().forEach(e -> classes.add(e.getKey())));
        List<String> headers = new java.util.ArrayList<>(List.of("ROW", "PREDICTION"));
        classes.forEach(c -> headers.add("SCORE:" + c));
        Table table = Table.of(headers);
        int row = 1;
        for (JsonNode p : predictions) {
            Object[] cells = new Object[headers.size()];
            cells[0] = row++;
            cells[1] = p.isObject() ? p.path("label") : p;
            int c = 2;
            for (String cls : classes) {
                cells[c++] = p.path("scores").path(cls);
            }
            table.row(cells);
        }
        return table;
    }
}
