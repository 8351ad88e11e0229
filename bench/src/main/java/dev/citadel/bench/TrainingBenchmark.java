package dev.citadel.bench;

import static dev.citadel.bench.Measurements.median;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

import dev.citadel.training.Algorithm;
import dev.citadel.training.OfflineTraining;
import dev.citadel.training.Task;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trains each classification algorithm with the server's own training code ({@link OfflineTraining}:
 * loading, split, encoding, Tribuo trainer, metrics, export) and scikit-learn on the same generated
 * file, the same held-out rows and the same encoding, in one run. Each side runs in its own process
 * per round — the Java side in a JVM limited to a 2 GiB heap — and reports its timings, its peak
 * memory and its held-out accuracy and ROC AUC.
 */
public final class TrainingBenchmark {

    /** The heap the issue allows the Java side; another can be tried with -Dcitadel.bench.training-heap. */
    private static final String HEAP = System.getProperty("citadel.bench.training-heap", "2g");
    private static final double TEST_FRACTION = 0.2;
    private static final long SEED = 42;
    private static final String TARGET = "label";
    private static final String SPLIT = "split";
    private static final int WARMUP_ROWS = 20_000;
    /** A model this far from chance is broken, not slow: the run stops rather than report it. */
    private static final double MINIMUM_AUC = 0.6;
    /**
     * "Equal AUC": two fits of one model on the same rows differ in the fourth decimal; a difference
     * below one standard error of the estimate (about 0.001 with 200,000 held-out rows) is no difference.
     */
    private static final double AUC_TOLERANCE = 0.001;
    private static final double TARGET_RATIO = 1.0;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TrainingBenchmark() {}

    /** One process each round: Citadel's side, or scikit-learn in one configuration. */
    private record Side(String algorithm, String variant) {

        boolean citadel() {
            return variant.equals("citadel");
        }
    }

    private static final List<Side> SIDES = List.of(
            new Side("logistic-regression", "citadel"), new Side("logistic-regression", "defaults"),
            new Side("gradient-boosted-trees", "citadel"), new Side("gradient-boosted-trees", "defaults"),
            new Side("gradient-boosted-trees", "matched"));

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--java-side")) {
            javaSide(args[1], Path.of(args[2]), Path.of(args[3]), params(List.of(args).subList(4, args.length)));
            return;
        }
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String loadBefore = loadAverage();
        Path work = Files.createTempDirectory("citadel-training-bench-");
        try {
            Path data = work.resolve("train.csv");
            Path warmup = work.resolve("warmup.csv");
            // the server's own split rule, written into the file so that scikit-learn holds out the same rows
            long bytes = TrainingData.write(data, rows, SEED, OfflineTraining.heldOut(rows, TEST_FRACTION, SEED));
            TrainingData.write(warmup, WARMUP_ROWS, SEED + 1, OfflineTraining.heldOut(WARMUP_ROWS, TEST_FRACTION, SEED));
            Map<Side, List<JsonNode>> results = new LinkedHashMap<>();
            for (int round = 1; round <= repetitions; round++) {
                for (Side side : SIDES) {
                    JsonNode result = run(side.citadel() ? javaCommand(side.algorithm(), data, warmup)
                            : pythonCommand(side, data), side.toString());
                    check(side, result);
                    results.computeIfAbsent(side, k -> new ArrayList<>()).add(result);
                    System.err.printf(Locale.ROOT, "round %d, %s %s: fit %.1f s, ROC AUC %.4f%n", round, side.algorithm(),
                            result.path("side").asString(), result.path("fitSeconds").asDouble(),
                            result.path("rocAuc").asDouble());
                }
                sameRows(results);
            }
            report(rows, bytes, repetitions, results, loadBefore, loadAverage());
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The scikit-learn side: Debian's interpreter, which sees python3-sklearn. */
    private static List<String> pythonCommand(Side side, Path data) {
        String python = System.getProperty("citadel.bench.python", "/usr/bin/python3");
        String script = System.getProperty("citadel.bench.script", "bench/src/main/python/sklearn_training.py");
        return List.of(python, script, data.toString(), side.algorithm(), "--variant", side.variant(), "--target", TARGET,
                "--split", SPLIT, "--categorical", String.join(",", TrainingData.CATEGORICAL), "--seed", Long.toString(SEED));
    }

    /** The Java side: a fresh JVM with the heap the issue allows, this class's classpath. */
    private static List<String> javaCommand(String algorithm, Path data, Path warmup) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx" + HEAP, "-cp", System.getProperty("java.class.path"),
                TrainingBenchmark.class.getName(), "--java-side", algorithm, data.toString(), warmup.toString());
    }

    private static JsonNode run(List<String> command, String what) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int exit = process.waitFor();
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        if (exit != 0 || !last.startsWith("{")) {
            throw new IllegalStateException(what + " failed (exit " + exit + "): " + out);
        }
        return JSON.readTree(last);
    }

    /** No side may pass by being useless. */
    private static void check(Side side, JsonNode result) {
        if (!(result.path("rocAuc").asDouble() >= MINIMUM_AUC)) {
            throw new IllegalStateException(side.algorithm() + ": " + result.path("side").asString() + " reached a held-out "
                    + "ROC AUC of " + result.path("rocAuc") + ", below " + MINIMUM_AUC + "; the model is broken, its time meaningless");
        }
    }

    /** Every side must have scored the same held-out rows. */
    private static void sameRows(Map<Side, List<JsonNode>> results) {
        JsonNode reference = results.get(SIDES.get(0)).get(0);
        results.forEach((side, runs) -> runs.forEach(run -> {
            if (run.path("trainRows").asInt() != reference.path("trainRows").asInt()
                    || run.path("testRows").asInt() != reference.path("testRows").asInt()
                    || run.path("testPositives").asLong() != reference.path("testPositives").asLong()) {
                throw new IllegalStateException(side + " held out other rows than Citadel: " + run + " vs " + reference);
            }
        }));
    }

    private static void report(int rows, long bytes, int repetitions, Map<Side, List<JsonNode>> results, String loadBefore,
            String loadAfter) {
        JsonNode reference = results.get(SIDES.get(0)).get(0);
        System.out.printf(Locale.ROOT, "%n%,d rows × %d features (%s), %.0f MB of CSV; %,d training and %,d held-out rows "
                + "(%,d positive), the same on every side; %d round%s, medians; JDK %s with -Xmx%s on the Java side, %d cores; "
                + "load average %s before, %s after%n%n",
                rows, TrainingData.FEATURES, TrainingData.describe(), bytes / 1e6, reference.path("trainRows").asInt(),
                reference.path("testRows").asInt(), reference.path("testPositives").asLong(), repetitions,
                repetitions == 1 ? "" : "s", System.getProperty("java.version"), HEAP,
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        System.out.println("| algorithm | side | load s | encode s | fit s | evaluate s | peak heap MiB (live) "
                + "| peak RSS MiB | accuracy | ROC AUC |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        results.forEach((side, runs) -> System.out.printf(Locale.ROOT,
                "| %s | %s | %.1f | %.1f | %.1f | %.1f | %s | %.0f | %.4f | %.4f |%n", side.algorithm(),
                runs.get(0).path("side").asString(), median(values(runs, "loadSeconds")), median(values(runs, "encodeSeconds")),
                median(values(runs, "fitSeconds")), median(values(runs, "evaluateSeconds")),
                side.citadel() ? String.format(Locale.ROOT, "%.0f (%.0f)", median(values(runs, "peakHeapBytes")) / 1048576,
                        median(values(runs, "peakLiveHeapBytes")) / 1048576) : "–",
                median(values(runs, "peakRssBytes")) / 1048576, median(values(runs, "accuracy")),
                median(values(runs, "rocAuc"))));
        System.out.printf(Locale.ROOT, "%n| algorithm | compared with | fit time, Citadel ÷ scikit-learn | ROC AUC, Citadel − "
                + "scikit-learn | target: ≤ %.1f× at equal (±%.3f) or better AUC |%n", TARGET_RATIO, AUC_TOLERANCE);
        System.out.println("|---|---|---:|---:|---|");
        results.forEach((side, runs) -> {
            if (side.citadel()) {
                return;
            }
            List<JsonNode> citadel = results.get(new Side(side.algorithm(), "citadel"));
            double ratio = median(values(citadel, "fitSeconds")) / median(values(runs, "fitSeconds"));
            double auc = median(values(citadel, "rocAuc")) - median(values(runs, "rocAuc"));
            String verdict = ratio <= TARGET_RATIO && auc >= -AUC_TOLERANCE ? "met"
                    : "not met" + (ratio > TARGET_RATIO ? ", slower" : "") + (auc < -AUC_TOLERANCE ? ", lower AUC" : "");
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f× | %+.4f | %s |%n", side.algorithm(),
                    runs.get(0).path("side").asString(), ratio, auc, verdict);
        });
        System.out.println();
        results.forEach((side, runs) -> {
            JsonNode first = runs.get(0);
            System.out.println(side.algorithm() + ", " + first.path("side").asString() + ": parameters " + first.path("params")
                    + (first.path("iterations").isNumber() ? ", iterations run " + first.path("iterations") : "")
                    + ", features " + first.path("features") + "; fit seconds per round " + values(runs, "fitSeconds").stream()
                            .map(v -> String.format(Locale.ROOT, "%.1f", v)).collect(Collectors.joining(", "))
                    + String.format(Locale.ROOT, "; ROC AUC %.5f", median(values(runs, "rocAuc"))));
        });
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static List<Double> values(List<JsonNode> side, String field) {
        return side.stream().map(n -> n.path(field).asDouble()).toList();
    }

    /**
     * Runs in the child JVM: one warm-up training on a small file (a server's JVM has trained
     * before), then the measured one; prints one JSON line.
     */
    private static void javaSide(String algorithm, Path data, Path warmup, Map<String, Object> params)
            throws IOException {
        HeapPeak heap = HeapPeak.install();
        train(algorithm, warmup, params);
        heap.reset();
        OfflineTraining.Result result = train(algorithm, data, params);
        Map<String, Object> metrics = result.metrics();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> perClass = (Map<String, Map<String, Object>>) metrics.get("perClass");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("side", "Citadel (Tribuo " + org.tribuo.Tribuo.VERSION + ")");
        out.put("algorithm", algorithm);
        out.put("params", new TreeMap<>(result.params()));
        out.put("loadSeconds", result.timings().load().toNanos() / 1e9);
        out.put("encodeSeconds", result.timings().encode().toNanos() / 1e9);
        out.put("fitSeconds", result.timings().fit().toNanos() / 1e9);
        out.put("evaluateSeconds", result.timings().evaluate().toNanos() / 1e9);
        out.put("exportSeconds", result.timings().export().toNanos() / 1e9);
        out.put("trainRows", result.trainRows());
        out.put("testRows", result.testRows());
        out.put("testPositives", perClass.get("true").get("support"));
        out.put("features", result.vector().size());
        out.put("accuracy", metrics.get("accuracy"));
        out.put("rocAuc", metrics.get("rocAuc"));
        out.put("artifactBytes", result.artifact().length);
        out.put("peakHeapBytes", heap.used());
        out.put("peakLiveHeapBytes", heap.live());
        out.put("peakRssBytes", peakRss());
        System.out.println(JSON.writeValueAsString(out));
    }

    /** Parameters given as name=value after the Java side's arguments, for trying other settings by hand. */
    private static Map<String, Object> params(List<String> pairs) {
        Map<String, Object> params = new TreeMap<>();
        for (String pair : pairs) {
            String[] parts = pair.split("=", 2);
            params.put(parts[0], Double.parseDouble(parts[1]));
        }
        return params;
    }

    private static OfflineTraining.Result train(String algorithm, Path file, Map<String, Object> params)
            throws IOException {
        Algorithm chosen = algorithm.equals("logistic-regression") ? Algorithm.LOGISTIC_REGRESSION
                : Algorithm.GRADIENT_BOOSTED_TREES;
        OfflineTraining.Request request = new OfflineTraining.Request(TrainingData.columnTypes(), TARGET,
                Task.CLASSIFICATION, chosen, params, SEED, TEST_FRACTION);
        try (InputStream in = Files.newInputStream(file)) {
            return OfflineTraining.train(in, request, (phase, percent) -> {});
        }
    }

    /** The process's peak resident set (VmHWM): heap, native memory (XGBoost's matrices) and the JVM itself. */
    private static long peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /**
     * Heap in use at its peak, two ways. Occupancy only grows between collections, so the most heap
     * ever in use is the largest occupancy just before a collection (or now): garbage included, it
     * says the run fitted in the heap. The largest occupancy just after a collection approximates the
     * most the run needed alive at once.
     */
    private static final class HeapPeak {
        private final Set<String> heapPools;
        private long used;
        private long live;

        private HeapPeak(Set<String> heapPools) {
            this.heapPools = heapPools;
        }

        static HeapPeak install() {
            Set<String> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
            HeapPeak heap = new HeapPeak(pools);
            for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                    if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        // the reset's own collection may be reported after the reset: it measured the warm-up
                        if (!info.getGcCause().equals("System.gc()")) {
                            heap.observe(info.getGcInfo().getMemoryUsageBeforeGc(), info.getGcInfo().getMemoryUsageAfterGc());
                        }
                    }
                }, null, null);
            }
            return heap;
        }

        private synchronized void observe(Map<String, MemoryUsage> before, Map<String, MemoryUsage> after) {
            used = Math.max(used, sum(before));
            live = Math.max(live, sum(after));
        }

        private long sum(Map<String, MemoryUsage> usage) {
            return usage.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed()).sum();
        }

        synchronized void reset() {
            System.gc();
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            live = used;
        }

        synchronized long used() {
            return Math.max(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        synchronized long live() {
            return live;
        }
    }
}
