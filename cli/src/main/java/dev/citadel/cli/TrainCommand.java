package dev.citadel.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Starts a training job and, with {@code --wait}, follows it with a progress bar to its end. */
@Command(name = "train", description = "Train a model on a dataset version (a new signed model version).")
final class TrainCommand implements Callable<Integer> {

    @ParentCommand
    CitadelCommand root;

    @Option(names = {"-m", "--model"}, required = true, description = "The model to register the result under.")
    String model;

    @Option(names = {"-d", "--dataset"}, required = true)
    String dataset;

    @Option(names = {"-v", "--version"}, paramLabel = "N", description = "The dataset version (default: the latest).")
    Integer version;

    @Option(names = "--target", required = true, description = "The column to predict.")
    String target;

    @Option(names = "--task", defaultValue = "classification", description = "classification (default) or regression.")
    String task;

    @Option(names = {"-a", "--algorithm"}, defaultValue = "logistic-regression",
            description = "logistic-regression (default), linear-regression or gradient-boosted-trees.")
    String algorithm;

    @Option(names = {"-f", "--feature"}, split = ",", paramLabel = "COLUMN", description = "Feature columns (default: the server's rule).")
    List<String> features;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=NUMBER", description = "An algorithm parameter, e.g. trees=200.")
    Map<String, Double> params;

    @Option(names = "--test-fraction")
    Double testFraction;

    @Option(names = "--seed")
    Long seed;

    @Option(names = {"-w", "--wait"}, description = "Follow the job with a progress bar and print its result.")
    boolean wait;

    @Option(names = "--poll-interval", paramLabel = "MILLIS", defaultValue = "1000",
            description = "How often --wait asks for progress, in milliseconds (default 1000).")
    long pollMillis;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "120", description = "How long --wait waits (default 120).")
    long timeoutMinutes;

    @Override
    public Integer call() {
        ApiClient client = root.client();
        int datasetVersion = version != null ? version
                : client.get(root.tenantPath("/datasets/" + ApiClient.segment(dataset))).path("latestVersion").asInt();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        body.put("dataset", dataset);
        body.put("version", datasetVersion);
        body.put("target", target);
        body.put("task", task);
        body.put("algorithm", algorithm);
        if (params != null) {
            ObjectNode p = body.putObject("params");
            params.forEach(p::put);
        }
        if (features != null) {
            features.forEach(body.putArray("features")::add);
        }
        if (testFraction != null) {
            body.put("testFraction", testFraction);
        }
        if (seed != null) {
            body.put("seed", seed);
        }
        JsonNode job = client.post(root.tenantPath("/training-jobs"), body);
        if (!wait) {
            root.print(job, () -> JobsCommand.trainingTable(job));
            root.say("Follow it with: citadel jobs show " + job.path("id").asString() + " --training");
            return ExitCode.OK;
        }
        JsonNode done = new JobWatcher(root, Duration.ofMillis(Math.max(10, pollMillis)), Duration.ofMinutes(timeoutMinutes))
                .await(root.tenantPath("/training-jobs/" + ApiClient.segment(job.path("id").asString())));
        root.print(done, () -> JobsCommand.trainingTable(done));
        if (!"succeeded".equals(done.path("state").asString())) {
            throw CliException.failed("training " + done.path("state").asString() + ": " + done.path("error").asString(""));
        }
        return ExitCode.OK;
    }
}
