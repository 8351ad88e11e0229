package dev.citadel.monitoring.bias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The report's arithmetic on small cases computed by hand. */
class BiasMetricsTest {

    private static final BiasReport.Thresholds THRESHOLDS = new BiasReport.Thresholds(0.8, 0.1, 4);
    private static final BiasReport.Rows ROWS = new BiasReport.Rows(0, 0, 0, 0);

    @Test
    void computesRatesDifferencesAndRatiosPerGroupAndFlagsTheFourFifthsRule() {
        SortedMap<String, BiasMetrics.Tally> groups = new TreeMap<>();
        // a: 4 true positives, 1 false negative, 2 false positives, 3 true negatives
        groups.put("a", binary(4, 1, 2, 3));
        // b: 1 true positive, 3 false negatives, 1 false positive, 3 true negatives
        groups.put("b", binary(1, 3, 1, 3));
        // c: three rows, below the minimum of four
        groups.put("c", binary(1, 0, 0, 2));

        BiasReport report = BiasMetrics.compute(groups, "a", THRESHOLDS, ROWS);

        BiasReport.Group a = report.groups().get(0);
        assertThat(a.value()).isEqualTo("a");
        assertThat(a.n()).isEqualTo(10);
        assertThat(a.tooSmall()).isFalse();
        assertThat(a.selectionRate()).isCloseTo(0.6, within(1e-12));
        assertThat(a.accuracy()).isCloseTo(0.7, within(1e-12));
        assertThat(a.truePositiveRate()).isCloseTo(0.8, within(1e-12));
        assertThat(a.baseRate()).isCloseTo(0.5, within(1e-12));
        assertThat(a.disparateImpactVsPrivileged()).isCloseTo(1.0, within(1e-12));

        BiasReport.Group b = report.groups().get(1);
        assertThat(b.n()).isEqualTo(8);
        assertThat(b.selectionRate()).isCloseTo(0.25, within(1e-12));
        assertThat(b.accuracy()).isCloseTo(0.5, within(1e-12));
        assertThat(b.truePositiveRate()).isCloseTo(0.25, within(1e-12));
        assertThat(b.baseRate()).isCloseTo(0.5, within(1e-12));
        assertThat(b.disparateImpactVsPrivileged()).isCloseTo(0.25 / 0.6, within(1e-12));

        BiasReport.Group c = report.groups().get(2);
        assertThat(c.n()).isEqualTo(3);
        assertThat(c.tooSmall()).isTrue();
        assertThat(c.selectionRate()).as("a small group's rates are withheld").isNull();
        assertThat(c.accuracy()).isNull();
        assertThat(c.truePositiveRate()).isNull();
        assertThat(c.baseRate()).isNull();

        BiasReport.Summary summary = report.summary();
        assertThat(summary.groupsCompared()).isEqualTo(2);
        assertThat(summary.demographicParityDifference()).isCloseTo(0.35, within(1e-12));
        assertThat(summary.disparateImpactRatio()).isCloseTo(5.0 / 12, within(1e-12));
        assertThat(summary.disparateImpactVsPrivileged()).isCloseTo(5.0 / 12, within(1e-12));
        assertThat(summary.equalOpportunityDifference()).isCloseTo(0.55, within(1e-12));
        assertThat(summary.flagged()).isTrue();
        assertThat(report.findings()).containsExactly(BiasReport.DISPARATE_IMPACT, BiasReport.PARITY_DIFFERENCE);
    }

    @Test
    void groupsWithSimilarSelectionRatesAreNotFlagged() {
        SortedMap<String, BiasMetrics.Tally> groups = new TreeMap<>();
        groups.put("x", binary(5, 5, 5, 5));   // selection 10/20 = 0.5, TPR 0.5
        groups.put("y", binary(6, 4, 3, 7));   // selection 9/20 = 0.45, TPR 0.6
        BiasReport report = BiasMetrics.compute(groups, null, THRESHOLDS, ROWS);
        assertThat(report.summary().disparateImpactRatio()).isCloseTo(0.9, within(1e-12));
        assertThat(report.summary().demographicParityDifference()).isCloseTo(0.05, within(1e-12));
        assertThat(report.summary().equalOpportunityDifference()).isCloseTo(0.1, within(1e-12));
        assertThat(report.summary().disparateImpactVsPrivileged()).isNull();
        assertThat(report.groups()).allSatisfy(g -> assertThat(g.disparateImpactVsPrivileged()).isNull());
        assertThat(report.summary().flagged()).isFalse();
        assertThat(report.findings()).isEmpty();
    }

    @Test
    void aParityDifferenceOverItsThresholdIsFlaggedEvenWhenTheRatioPassesFourFifths() {
        SortedMap<String, BiasMetrics.Tally> groups = new TreeMap<>();
        groups.put("x", binary(10, 0, 10, 0));  // selection 1.0
        groups.put("y", binary(9, 1, 8, 2));    // selection 17/20 = 0.85
        BiasReport report = BiasMetrics.compute(groups, null, THRESHOLDS, ROWS);
        assertThat(report.summary().disparateImpactRatio()).isCloseTo(0.85, within(1e-12));
        assertThat(report.summary().demographicParityDifference()).isCloseTo(0.15, within(1e-12));
        assertThat(report.findings()).containsExactly(BiasReport.PARITY_DIFFERENCE);
        assertThat(report.summary().flagged()).isTrue();
    }

    @Test
    void fewerThanTwoComparableGroupsGiveNoComparisons() {
        SortedMap<String, BiasMetrics.Tally> groups = new TreeMap<>();
        groups.put("big", binary(3, 3, 3, 3));
        groups.put("small", binary(0, 1, 1, 1));
        BiasReport report = BiasMetrics.compute(groups, null, THRESHOLDS, ROWS);
        assertThat(report.summary().groupsCompared()).isEqualTo(1);
        assertThat(report.summary().demographicParityDifference()).isNull();
        assertThat(report.summary().disparateImpactRatio()).isNull();
        assertThat(report.summary().equalOpportunityDifference()).isNull();
        assertThat(report.summary().flagged()).isFalse();
        assertThat(report.findings()).containsExactly(BiasReport.TOO_FEW_GROUPS);
    }

    @Test
    void noPositivePredictionsLeaveTheRatioUndefinedAndAGroupWithoutPositivesHasNoTruePositiveRate() {
        SortedMap<String, BiasMetrics.Tally> groups = new TreeMap<>();
        groups.put("x", binary(0, 2, 0, 8));
        groups.put("y", binary(0, 0, 0, 10));
        BiasReport report = BiasMetrics.compute(groups, "x", THRESHOLDS, ROWS);
        assertThat(report.summary().disparateImpactRatio()).isNull();
        assertThat(report.summary().demographicParityDifference()).isZero();
        assertThat(report.groups().get(1).truePositiveRate()).isNull();
        assertThat(report.summary().equalOpportunityDifference()).as("only x has positives").isZero();
        assertThat(report.findings()).containsExactly(BiasReport.PRIVILEGED_GROUP_NOT_COMPARABLE,
                BiasReport.NO_POSITIVE_PREDICTIONS);
        assertThat(report.summary().flagged()).isFalse();
    }

    @Test
    void aPrivilegedGroupThatIsAbsentOrTooSmallIsNamedAsAFinding() {
        SortedMap<String, BiasMetrics.Tally> groups = new TreeMap<>();
        groups.put("x", binary(5, 5, 5, 5));
        groups.put("y", binary(5, 5, 5, 5));
        groups.put("z", binary(1, 0, 0, 0));
        for (String privileged : new String[] {"absent", "z"}) {
            BiasReport report = BiasMetrics.compute(groups, privileged, THRESHOLDS, ROWS);
            assertThat(report.findings()).containsExactly(BiasReport.PRIVILEGED_GROUP_NOT_COMPARABLE);
            assertThat(report.summary().disparateImpactVsPrivileged()).isNull();
            assertThat(report.summary().disparateImpactRatio()).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void multiClassAccuracyCountsExactLabelsApartFromThePositiveOne() {
        BiasMetrics.Tally tally = new BiasMetrics.Tally();
        tally.add(false, false, false); // predicted "b", actually "c": neither positive ("a") nor correct
        tally.add(false, false, true);  // predicted "b", actually "b"
        tally.add(true, true, true);    // "a" for "a"
        tally.add(true, false, false);  // "a" for "c"
        SortedMap<String, BiasMetrics.Tally> groups = new TreeMap<>();
        groups.put("g", tally);
        groups.put("h", binary(2, 0, 0, 2));
        BiasReport.Group g = BiasMetrics.compute(groups, null, THRESHOLDS, ROWS).groups().get(0);
        assertThat(g.selectionRate()).isCloseTo(0.5, within(1e-12));
        assertThat(g.accuracy()).isCloseTo(0.5, within(1e-12));
        assertThat(g.truePositiveRate()).isCloseTo(1.0, within(1e-12));
        assertThat(g.baseRate()).isCloseTo(0.25, within(1e-12));
    }

    /** A binary classifier's group: true positives, false negatives, false positives, true negatives. */
    private static BiasMetrics.Tally binary(int tp, int fn, int fp, int tn) {
        BiasMetrics.Tally tally = new BiasMetrics.Tally();
        for (int i = 0; i < tp; i++) {
            tally.add(true, true, true);
        }
        for (int i = 0; i < fn; i++) {
            tally.add(false, true, false);
        }
        for (int i = 0; i < fp; i++) {
            tally.add(true, false, false);
        }
        for (int i = 0; i < tn; i++) {
            tally.add(false, false, true);
        }
        return tally;
    }
}
