package dev.citadel.monitoring.drift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns a closed live window into its figures: PSI per feature, KS and its p-value per numeric feature. */
final class WindowEvaluation {

    private WindowEvaluation() {}

    static DriftWindow evaluate(LiveWindow window, String model, int version, Instant end, double psiThreshold,
            double ksPValue) {
        Monitored.Feature[] features = window.monitored.features();
        List<FeatureFigures> figures = new ArrayList<>(features.length);
        boolean drifted = false;
        // one KS test per numeric feature each window: the level is shared among them (Bonferroni),
        // so a window of an unchanged distribution is flagged by chance at most ksPValue of the time
        int tests = 0;
        for (Monitored.Feature feature : features) {
            if (feature.numeric && feature.quantiles.length >= 2) {
                tests++;
            }
        }
        double level = ksPValue / Math.max(1, tests);
        for (int f = 0; f < features.length; f++) {
            Monitored.Feature feature = features[f];
            long[] counts = window.counts[f];
            double[] live = DriftStatistics.proportions(counts, window.instances);
            double psi = DriftStatistics.psi(feature.proportions, live);
            Double ks = null;
            Double p = null;
            if (feature.numeric && feature.quantiles.length >= 2 && window.samples[f].size() > 0) {
                double[] sample = window.samples[f].sorted();
                ks = DriftStatistics.ksDistance(sample, feature.quantiles);
                p = DriftStatistics.ksPValue(ks, feature.reference.values(), sample.length);
            }
            boolean featureDrifted = psi > psiThreshold || (p != null && p < level);
            drifted |= featureDrifted;
            long missing = counts[feature.missingBin()];
            List<Double> proportions = new ArrayList<>(live.length);
            for (double share : live) {
                proportions.add(ReferenceBuilder.round(share));
            }
            figures.add(new FeatureFigures(feature.name, feature.reference.kind(), round(psi), ks == null ? null : round(ks),
                    p, featureDrifted, window.instances - missing, missing, proportions));
        }
        return new DriftWindow(window.start, end, model, version, window.instances, drifted, figures);
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
