package dev.citadel.bench;

import static dev.citadel.bench.Measurements.median;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.citadel.training.Algorithm;
import dev.citadel.training.OfflineTraining;
import dev.citadel.training.Task;
import dev.citadel.training.TrainingRequest;

/**
 * Differentially private logistic regression (DP-SGD, issue 12) against the non-private model on
 * the training benchmark's generated file, in the same JVM and on the same split: held-out AUC and
 * accuracy, and fit time, at ε ∈ {1, 3, 8} with δ = 1/n². The non-private model is the server's
 * default logistic regression (Tribuo, AdaGrad with iterate averaging, 2 epochs); the private ones
 * use the declared bounds and categories below and the DP defaults (C = 1, B = 256, fixed rate 1)
 * with the same 2 epochs.
 */
public final class DpTrainingBenchmark {

    private static final long SEED = 42;

    private DpTrainingBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("patients")) {
            patients(Path.of(args.length > 2 ? args[2] : "docs/samples/admissions.csv"),
                    args.length > 1 ? Integer.parseInt(args[1]) : 5);
            return;
        }
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Path file = Files.createTempFile("citadel-dp-bench", ".csv");
        try {
            long bytes = TrainingData.write(file, rows, SEED, OfflineTraining.heldOut(rows, 0.2, SEED));
            System.out.printf(Locale.ROOT, "file: %,d rows, %,d bytes (%s); batch %d, %d epochs, %d round(s)%n", rows,
                    bytes, TrainingData.describe(), batch, epochs, rounds);
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            List<Double> epsilons = List.of(1.0, 3.0, 8.0);
            for (int round = 0; round < rounds; round++) {
                results.computeIfAbsent("non-DP", k -> new ArrayList<>()).add(run(file, null, epochs));
                for (double epsilon : epsilons) {
                    results.computeIfAbsent("DP ε=" + (int) epsilon, k -> new ArrayList<>())
                            .add(run(file, privacy(epsilon, batch), epochs));
                }
            }
            report(results);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The quickstart's patient sample (400 rows: 320 to train, 80 held out), readmission from age,
     * sex, ward, glucose, BMI and prior admissions; 5 epochs as the DP tests use, B = 64.
     */
    private static void patients(Path file, int rounds) throws IOException {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("age", "integer");
        columns.put("sex", "categorical");
        columns.put("ward", "categorical");
        columns.put("glucose", "decimal");
        columns.put("bmi", "decimal");
        columns.put("prior_admissions", "integer");
        columns.put("readmitted", "categorical");
        System.out.printf(Locale.ROOT, "file: %s; 5 epochs, B = 64, %d round(s)%n", file, rounds);
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            results.computeIfAbsent("non-DP", k -> new ArrayList<>()).add(run(file, columns, "readmitted", null, 5));
            for (double epsilon : List.of(1.0, 3.0, 8.0)) {
                TrainingRequest.Privacy privacy = new TrainingRequest.Privacy(epsilon, null, null, 64,
                        Map.of("age", List.of(0.0, 120.0), "glucose", List.of(40.0, 300.0), "bmi", List.of(10.0, 60.0),
                                "prior_admissions", List.of(0.0, 10.0)),
                        Map.of("sex", List.of("F", "M"), "ward", List.of("cardiology", "general", "icu", "oncology")));
                results.computeIfAbsent("DP ε=" + (int) epsilon, k -> new ArrayList<>())
                        .add(run(file, columns, "readmitted", privacy, 5));
            }
        }
        report(results);
    }

    private static void report(Map<String, List<double[]>> results) {
        double baseAuc = median(results.get("non-DP").stream().map(r -> r[0]).toList());
        System.out.printf(Locale.ROOT, "%-10s %8s %8s %8s %9s %9s %7s%n", "model", "AUC", "ΔAUC", "accuracy",
                "fit s", "total s", "σ");
        results.forEach((name, runs) -> {
            double auc = median(runs.stream().map(r -> r[0]).toList());
            System.out.printf(Locale.ROOT, "%-10s %8.4f %+8.4f %8.4f %9.2f %9.2f %7s%n", name, auc, auc - baseAuc,
                    median(runs.stream().map(r -> r[1]).toList()), median(runs.stream().map(r -> r[2]).toList()),
                    median(runs.stream().map(r -> r[3]).toList()),
                    Double.isNaN(runs.get(0)[4]) ? "—" : String.format(Locale.ROOT, "%.3f", runs.get(0)[4]));
        });
    }

    private static double[] run(Path file, TrainingRequest.Privacy privacy, int epochs) throws IOException {
        return run(file, TrainingData.columnTypes(), "label", privacy, epochs);
    }

    /** [AUC, accuracy, fit seconds, total seconds, σ (NaN without DP)]. */
    private static double[] run(Path file, Map<String, String> columns, String target, TrainingRequest.Privacy privacy,
            int epochs) throws IOException {
        long start = System.nanoTime();
        OfflineTraining.Result result;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            result = OfflineTraining.train(in, new OfflineTraining.Request(columns, target,
                    Task.CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, Map.of("epochs", epochs), SEED, 0.2, privacy),
                    (phase, percent) -> {});
        }
        double total = (System.nanoTime() - start) / 1e9;
        double auc = ((Number) result.metrics().get("rocAuc")).doubleValue();
        double accuracy = ((Number) result.metrics().get("accuracy")).doubleValue();
        double sigma = result.privacy() == null ? Double.NaN : ((Number) result.privacy().get("sigma")).doubleValue();
        System.out.printf(Locale.ROOT, "  %s: AUC %.4f, accuracy %.4f, fit %.1f s, total %.1f s%s%n",
                privacy == null ? "non-DP" : "DP ε=" + privacy.epsilon(), auc, accuracy,
                result.timings().fit().toNanos() / 1e9, total,
                privacy == null ? "" : ", σ " + result.privacy().get("sigma") + ", steps " + result.privacy().get("steps"));
        return new double[] {auc, accuracy, result.timings().fit().toNanos() / 1e9, total, sigma};
    }

    /** Declared bounds that cover the generator's ranges (values outside are clipped) and its categories. */
    static TrainingRequest.Privacy privacy(double epsilon, int batch) {
        Map<String, List<Double>> bounds = new LinkedHashMap<>();
        for (String gaussian : List.of("x1", "x2", "x3", "x4", "x7", "x8", "x11")) {
            bounds.put(gaussian, List.of(-4.0, 4.0));
        }
        bounds.put("x5", List.of(0.0, 1.0));
        bounds.put("x6", List.of(-3.0, 3.0));
        bounds.put("x9", List.of(0.0, 1000.0));
        bounds.put("x10", List.of(10.0, 90.0));
        bounds.put("x12", List.of(0.0, 1000.0));
        bounds.put("k1", List.of(0.0, 30.0));
        bounds.put("k2", List.of(18.0, 90.0));
        bounds.put("k3", List.of(0.0, 20.0));
        List<String> segments = new ArrayList<>();
        for (int s = 0; s < 40; s++) {
            segments.add("s" + s);
        }
        Map<String, List<String>> categories = Map.of(
                "region", List.of("north", "south", "east", "west", "centre", "coast", "hills", "islands"),
                "plan", List.of("basic", "standard", "plus", "premium"),
                "channel", List.of("web", "store", "phone"),
                "segment", segments);
        return new TrainingRequest.Privacy(epsilon, null, null, batch, bounds, categories);
    }
}
