package dev.citadel.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded binary-classification file for the training benchmark: 20 features (12 decimal, 3
 * integer, 1 boolean, 4 categorical, a few with missing cells), a {@code label} drawn from a
 * logistic model with interactions, a threshold, a periodic and a quadratic term — so trees can
 * beat a linear model and neither reaches an AUC of 1 — and a {@code split} column saying which
 * rows the server's split rule holds out.
 */
final class TrainingData {

    static final int FEATURES = 20;
    static final List<String> CATEGORICAL = List.of("flag", "region", "plan", "channel", "segment");

    private static final String[] REGIONS = {"north", "south", "east", "west", "centre", "coast", "hills", "islands"};
    private static final double[] REGION_EFFECT = {0.4, -0.3, 0.1, 0.0, -0.6, 0.5, -0.1, 0.8};
    private static final String[] PLANS = {"basic", "standard", "plus", "premium"};
    private static final double[] PLAN_EFFECT = {-0.5, 0.0, 0.3, 0.6};
    private static final String[] CHANNELS = {"web", "store", "phone"};
    private static final double[] CHANNEL_EFFECT = {0.2, -0.2, 0.0};
    private static final int SEGMENTS = 40;

    private TrainingData() {}

    /** The columns both sides train on (name → type), the target last. */
    static Map<String, String> columnTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 1; i <= 12; i++) {
            types.put("x" + i, "decimal");
        }
        for (int i = 1; i <= 3; i++) {
            types.put("k" + i, "integer");
        }
        types.put("flag", "boolean");
        types.put("region", "categorical");
        types.put("plan", "categorical");
        types.put("channel", "categorical");
        types.put("segment", "categorical");
        types.put("label", "boolean");
        return types;
    }

    static String describe() {
        return "12 decimal, 3 integer, 1 boolean, 4 categorical with 8, 4, 3 and 40 values; 2–5% missing in x3, x11, k1 and region";
    }

    /** Writes {@code rows} rows drawn with {@code seed}; {@code heldOut[row]} marks the test rows. Returns the file's size. */
    static long write(Path file, int rows, long seed, boolean[] heldOut) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        double[] segmentEffect = new double[SEGMENTS];
        for (int s = 0; s < SEGMENTS; s++) {
            segmentEffect[s] = random.nextGaussian() * 0.3;
        }
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write(String.join(",", columnTypes().keySet()) + ",split\n");
            StringBuilder line = new StringBuilder(256);
            double[] x = new double[13];
            for (int row = 0; row < rows; row++) {
                line.setLength(0);
                x[1] = random.nextGaussian();
                x[2] = random.nextGaussian();
                x[3] = random.nextGaussian();
                x[4] = random.nextGaussian();
                x[5] = random.nextDouble();
                x[6] = random.nextDouble(-3, 3);
                x[7] = random.nextGaussian();
                x[8] = 0.7 * x[1] + 0.7 * random.nextGaussian();
                x[9] = 100 * Math.exp(0.75 * random.nextGaussian());
                x[10] = 50 + 10 * random.nextGaussian();
                x[11] = random.nextGaussian();
                x[12] = random.nextDouble(0, 1000);
                int k1 = (int) Math.floor(Math.exp(1 + 0.8 * random.nextGaussian()));
                int k2 = 18 + random.nextInt(73);
                int k3 = random.nextInt(21);
                boolean flag = random.nextDouble() < 0.3;
                int region = random.nextInt(REGIONS.length);
                int plan = random.nextInt(PLANS.length);
                int channel = random.nextInt(CHANNELS.length);
                int segment = random.nextInt(SEGMENTS);
                double logit = -0.5 + 0.9 * x[1] - 0.7 * x[2] + 0.6 * x[3] * x[4] + (x[5] > 0.7 ? 1.0 : -0.2)
                        + 0.8 * Math.sin(1.5 * x[6]) + 0.35 * (x[7] * x[7] - 1) + 0.4 * x[8] + 0.5 * Math.log(x[9] / 100)
                        + 0.0005 * (x[12] - 500) + 0.25 * Math.log1p(k1) + 0.02 * (k2 - 54) * (plan == 3 ? -1 : 1)
                        + (flag ? 0.4 : 0) + REGION_EFFECT[region] + PLAN_EFFECT[plan] + CHANNEL_EFFECT[channel]
                        + segmentEffect[segment];
                boolean label = random.nextDouble() < 1 / (1 + Math.exp(-logit));
                for (int i = 1; i <= 12; i++) {
                    boolean missing = (i == 3 && random.nextInt(50) == 0) || (i == 11 && random.nextInt(20) == 0);
                    if (!missing) {
                        decimal(line, x[i], i == 12 ? 2 : 4);
                    }
                    line.append(',');
                }
                if (random.nextInt(50) != 0) {
                    line.append(k1);
                }
                line.append(',').append(k2).append(',').append(k3).append(',').append(flag).append(',');
                if (random.nextInt(40) != 0) {
                    line.append(REGIONS[region]);
                }
                line.append(',').append(PLANS[plan]).append(',').append(CHANNELS[channel]).append(",s").append(segment)
                        .append(',').append(label).append(',').append(heldOut[row] ? "test" : "train").append('\n');
                out.append(line);
            }
        }
        return Files.size(file);
    }

    /** Fixed-point with {@code digits} decimals, never scientific notation. */
    private static void decimal(StringBuilder out, double value, int digits) {
        long scale = digits == 4 ? 10_000 : 100;
        long scaled = Math.round(value * scale);
        if (scaled < 0) {
            out.append('-');
            scaled = -scaled;
        }
        out.append(scaled / scale).append('.');
        String fraction = Long.toString(scaled % scale);
        for (int pad = fraction.length(); pad < digits; pad++) {
            out.append('0');
        }
        out.append(fraction);
    }
}
