package dev.citadel.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Creates or replaces a deployment (PUT replaces it whole: omitted settings take their defaults). */
@Command(name = "deploy", description = "Deploy an approved model version under a name, or move a deployment to another version.")
final class DeployCommand implements Callable<Integer> {

    @ParentCommand
    CitadelCommand root;

    @Parameters(paramLabel = "NAME", description = "The deployment's name.")
    String name;

    @Option(names = {"-m", "--model"}, required = true)
    String model;

    @Option(names = {"-v", "--version"}, required = true, paramLabel = "N")
    int version;

    @Option(names = "--output-policy", paramLabel = "POLICY", description = "label (default), scores or rounded-scores.")
    String outputPolicy;

    @Option(names = "--precision", description = "Digits kept by rounded-scores (0–6, default 2).")
    Integer precision;

    @Option(names = "--top-k")
    Integer topK;

    @Option(names = "--unknown-categories", description = "reject (default) or ignore.")
    String unknownCategories;

    @Option(names = "--max-batch")
    Integer maxBatch;

    @Option(names = "--daily-budget", description = "Instances per principal per UTC day.")
    Long dailyBudget;

    @Option(names = "--extraction", description = "alert (default), throttle or block.")
    String extraction;

    @Override
    public Integer call() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        body.put("version", version);
        putIfSet(body, "output", outputPolicy);
        putIfSet(body, "precision", precision);
        putIfSet(body, "topK", topK);
        putIfSet(body, "unknownCategories", unknownCategories);
        putIfSet(body, "maxBatch", maxBatch);
        putIfSet(body, "dailyBudget", dailyBudget);
        putIfSet(body, "extraction", extraction);
        JsonNode deployment = root.client().put(root.tenantPath("/deployments/" + ApiClient.segment(name)), body);
        root.print(deployment, () -> Table.fields(deployment, "name", "model", "version", "stage", "output", "precision", "topK",
                "unknownCategories", "maxBatch", "dailyBudget", "extraction", "sha256", "updatedBy", "updatedAt"));
        return ExitCode.OK;
    }

    private static void putIfSet(ObjectNode body, String field, Object value) {
        if (value instanceof String s) {
            body.put(field, s);
        } else if (value instanceof Integer i) {
            body.put(field, i);
        } else if (value instanceof Long l) {
            body.put(field, l);
        }
    }
}
