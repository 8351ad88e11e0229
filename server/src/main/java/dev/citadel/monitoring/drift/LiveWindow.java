package dev.citadel.monitoring.drift;

import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One window of live inputs to a deployment, reduced as they arrive: per monitored feature the
 * count of instances in each reference bin and, for numeric features, a bounded sample for the KS
 * test. The sample lives in memory until the window is evaluated; only figures are stored. Not
 * thread-safe: its {@link DriftMonitor.DeploymentWindow} serialises access.
 */
final class LiveWindow {

    private static final long SEED = 0xD81F7L;

    final Monitored monitored;
    final long[][] counts;
    final Reservoir[] samples;
    Instant start;
    long instances;

    LiveWindow(Monitored monitored, int liveSample) {
        this.monitored = monitored;
        Monitored.Feature[] features = monitored.features();
        this.counts = new long[features.length][];
        this.samples = new Reservoir[features.length];
        SplittableRandom random = new SplittableRandom(SEED);
        for (int f = 0; f < features.length; f++) {
            counts[f] = new long[features[f].width];
            if (features[f].numeric) {
                samples[f] = new Reservoir(liveSample, random.split());
            }
        }
    }

    void add(Map<String, Object> instance, Instant now) {
        if (start == null) {
            start = now;
        }
        Monitored.Feature[] features = monitored.features();
        for (int f = 0; f < features.length; f++) {
            Monitored.Feature feature = features[f];
            Object raw = instance.get(feature.name);
            if (feature.numeric) {
                double value = LiveValues.number(raw);
                if (Double.isNaN(value)) {
                    counts[f][feature.missingBin()]++;
                } else {
                    counts[f][DriftStatistics.bin(feature.edges, value)]++;
                    samples[f].add(value);
                }
            } else {
                String category = LiveValues.category(raw, feature.bool);
                if (category == null) {
                    counts[f][feature.missingBin()]++;
                } else {
                    counts[f][feature.categories.getOrDefault(category, feature.otherBin())]++;
                }
            }
        }
        instances++;
    }
}
