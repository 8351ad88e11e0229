package dev.citadel.monitoring.bias;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The figures of a bias report, from per-group counts. Pure arithmetic, so a unit test can check
 * it against hand-computed cases.
 */
final class BiasMetrics {

    private BiasMetrics() {}

    /** Counts for one group, added to as rows are scored. */
    static final class Tally {
        long n;
        long selected;
        long correct;
        long positives;
        long truePositives;

        void add(boolean predictedPositive, boolean actuallyPositive, boolean predictedCorrectly) {
            n++;
            selected += predictedPositive ? 1 : 0;
            correct += predictedCorrectly ? 1 : 0;
            positives += actuallyPositive ? 1 : 0;
            truePositives += predictedPositive && actuallyPositive ? 1 : 0;
        }
    }

    /**
     * The report over {@code tallies} (by group value, in order).
     *
     * @param privileged the group others are compared with, or null
     */
    static BiasReport compute(SortedMap<String, Tally> tallies, String privileged, BiasReport.Thresholds thresholds,
            BiasReport.Rows rows) {
        List<String> findings = new ArrayList<>();
        Tally reference = privileged == null ? null : tallies.get(privileged);
        boolean referenceUsable = reference != null && reference.n >= thresholds.minGroupSize() && reference.selected > 0;
        if (privileged != null && !referenceUsable) {
            findings.add(BiasReport.PRIVILEGED_GROUP_NOT_COMPARABLE);
        }
        List<BiasReport.Group> groups = new ArrayList<>();
        double minRate = Double.POSITIVE_INFINITY;
        double maxRate = Double.NEGATIVE_INFINITY;
        double minTpr = Double.POSITIVE_INFINITY;
        double maxTpr = Double.NEGATIVE_INFINITY;
        Double minVsReference = null;
        int compared = 0;
        for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
            Tally t = entry.getValue();
            if (t.n < thresholds.minGroupSize()) {
                groups.add(new BiasReport.Group(entry.getKey(), t.n, true, null, null, null, null, null));
                continue;
            }
            compared++;
            double rate = ratio(t.selected, t.n);
            Double tpr = t.positives == 0 ? null : ratio(t.truePositives, t.positives);
            Double vsReference = referenceUsable ? rate / ratio(reference.selected, reference.n) : null;
            groups.add(new BiasReport.Group(entry.getKey(), t.n, false, rate, ratio(t.correct, t.n), tpr,
                    ratio(t.positives, t.n), vsReference));
            minRate = Math.min(minRate, rate);
            maxRate = Math.max(maxRate, rate);
            if (tpr != null) {
                minTpr = Math.min(minTpr, tpr);
                maxTpr = Math.max(maxTpr, tpr);
            }
            if (vsReference != null && !entry.getKey().equals(privileged)) {
                minVsReference = minVsReference == null ? vsReference : Math.min(minVsReference, vsReference);
            }
        }
        if (compared < 2) {
            findings.add(BiasReport.TOO_FEW_GROUPS);
            return new BiasReport(rows, groups, new BiasReport.Summary(compared, null, null, null, null, false),
                    thresholds, findings);
        }
        double parity = maxRate - minRate;
        Double impact = maxRate > 0 ? minRate / maxRate : null;
        Double opportunity = maxTpr >= minTpr ? maxTpr - minTpr : null;
        if (impact == null) {
            findings.add(BiasReport.NO_POSITIVE_PREDICTIONS);
        } else if (impact < thresholds.disparateImpact()) {
            findings.add(BiasReport.DISPARATE_IMPACT);
        }
        if (parity > thresholds.parityDifference()) {
            findings.add(BiasReport.PARITY_DIFFERENCE);
        }
        boolean flagged = findings.contains(BiasReport.DISPARATE_IMPACT) || findings.contains(BiasReport.PARITY_DIFFERENCE);
        return new BiasReport(rows, groups, new BiasReport.Summary(compared, parity, impact, minVsReference, opportunity,
                flagged), thresholds, findings);
    }

    private static double ratio(long part, long whole) {
        return (double) part / whole;
    }
}
