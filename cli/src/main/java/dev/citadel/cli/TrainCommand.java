package dev.citadel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
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

    @Option(names = "--epsilon", paramLabel = "EPSILON",
            description = "Train with differential privacy (DP-SGD) at this epsilon, charged to the dataset version's "
                    + "privacy budget. Needs --bound for every numeric feature and --categories for every categorical one.")
    Double epsilon;

    @Option(names = "--delta", paramLabel = "DELTA", description = "DP: delta (default 1/n\u00b2 for n rows).")
    Double delta;

    @Option(names = "--clip", paramLabel = "NORM", description = "DP: the per-row gradient clipping norm (default 1).")
    Double clip;

    @Option(names = "--batch-size", paramLabel = "ROWS", description = "DP: the expected batch size (default 256).")
    Integer batchSize;

    @Option(names = "--bound", paramLabel = "COLUMN=LOW,HIGH",
            description = "DP: a numeric feature's (or regression target's) declared range, e.g. --bound age=0,120. Repeat per column.")
    Map<String, String> bounds = new LinkedHashMap<>();

    @Option(names = "--categories", paramLabel = "COLUMN=A,B,...",
            description = "DP: a categorical feature's declared categories, e.g. --categories ward=general,icu. Repeat per column.")
    Map<String, String> categories = new LinkedHashMap<>();

    @Option(names = "--privacy-file", paramLabel = "FILE",
            description = "DP: a JSON file holding the request's privacy object; the options above override its fields.")
    Path privacyFile;

    @Option(names = {"-w", "--wait"}, description = "Follow the job with a progress bar and print its result.")
    boolean wait;

    @Option(names = "--poll-interval", paramLabel = "MILLIS", defaultValue = "1000",
            description = "How often --wait asks for progress, in milliseconds (default 1000).")
    long pollMillis;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "120", description = "How long --wait waits (default 120).")
    long timeoutMinutes;

    @Override
    public Integer call() {
        ObjectNode privacy = privacy(); // usage errors before anything is sent
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
        if (privacy != null) {
            body.set("privacy", privacy);
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

    /** The request's {@code privacy} object from --privacy-file and the DP options, or null without either. */
    ObjectNode privacy() {
        boolean options = delta != null || clip != null || batchSize != null || !bounds.isEmpty() || !categories.isEmpty();
        if (epsilon == null && privacyFile == null) {
            if (options) {
                throw CliException.usage("--delta, --clip, --batch-size, --bound and --categories need --epsilon "
                        + "(or --privacy-file)");
            }
            return null;
        }
        ObjectNode privacy = Json.MAPPER.createObjectNode();
        if (privacyFile != null) {
            JsonNode file;
            try {
                file = Json.parse(Files.readString(privacyFile));
            } catch (IOException e) {
                throw CliException.usage("cannot read " + privacyFile);
            } catch (JacksonException e) {
                throw CliException.usage(privacyFile + " is not JSON: " + e.getOriginalMessage());
            }
            if (!file.isObject()) {
                throw CliException.usage(privacyFile + " must hold a JSON object, e.g. {\"epsilon\": 3, \"bounds\": {...}}");
            }
            privacy.setAll((ObjectNode) file);
        }
        if (epsilon != null) {
            privacy.put("epsilon", epsilon);
        }
        if (delta != null) {
            privacy.put("delta", delta);
        }
        if (clip != null) {
            privacy.put("clip", clip);
        }
        if (batchSize != null) {
            privacy.put("batchSize", batchSize);
        }
        if (!bounds.isEmpty()) {
            ObjectNode declared = privacy.path("bounds").isObject() ? (ObjectNode) privacy.get("bounds") : privacy.putObject("bounds");
            bounds.forEach((column, range) -> declared.set(column, range(column, range)));
        }
        if (!categories.isEmpty()) {
            ObjectNode declared = privacy.path("categories").isObject() ? (ObjectNode) privacy.get("categories")
                    : privacy.putObject("categories");
            categories.forEach((column, values) -> {
                var list = declared.putArray(column);
                for (String value : values.split(",", -1)) {
                    list.add(value.strip());
                }
            });
        }
        return privacy;
    }

    /** A {@code --bound COLUMN=LOW,HIGH} value as a JSON [low, high]. */
    static tools.jackson.databind.node.ArrayNode range(String column, String range) {
        String[] ends = range.split(",", -1);
        if (ends.length != 2) {
            throw CliException.usage("--bound " + column + "=" + range + ": give LOW,HIGH, e.g. age=0,120");
        }
        try {
            return Json.MAPPER.createArrayNode().add(Double.parseDouble(ends[0].strip()))
                    .add(Double.parseDouble(ends[1].strip()));
        } catch (NumberFormatException e) {
            throw CliException.usage("--bound " + column + "=" + range + ": LOW and HIGH must be numbers");
        }
    }
}
