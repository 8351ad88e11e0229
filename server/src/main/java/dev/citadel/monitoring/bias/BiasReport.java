package dev.citadel.monitoring.bias;

import java.util.List;

/**
 * What a bias report found: per group of the attribute, how often the model predicted the positive
 * label and how well it did; and how far apart the groups are. Aggregates only — never a row.
 *
 * @param rows       the rows evaluated and the rows left out, by reason
 * @param groups     one entry per attribute value, by value; a group smaller than the minimum shows
 *                   its count only (its rates are withheld, and it is not compared)
 * @param summary    the comparisons over the groups large enough to compare
 * @param thresholds the thresholds the report was judged against
 * @param findings   stable identifiers of what stood out (see docs/adr/0027-bias-reports.md)
 */
public record BiasReport(Rows rows, List<Group> groups, Summary summary, Thresholds thresholds, List<String> findings) {

    /** A finding: the disparate impact ratio is below its threshold (the four-fifths rule). */
    public static final String DISPARATE_IMPACT = "disparate-impact-below-threshold";
    /** A finding: the demographic parity difference is above its threshold. */
    public static final String PARITY_DIFFERENCE = "parity-difference-above-threshold";
    /** A finding: fewer than two groups are large enough to compare, so there are no comparisons. */
    public static final String TOO_FEW_GROUPS = "fewer-than-two-comparable-groups";
    /** A finding: no comparable group got a positive prediction, so the ratios are undefined. */
    public static final String NO_POSITIVE_PREDICTIONS = "no-positive-predictions";
    /** A finding: the privileged group named in the request has no rows, or too few to compare. */
    public static final String PRIVILEGED_GROUP_NOT_COMPARABLE = "privileged-group-not-comparable";

    /**
     * @param evaluated        rows scored and counted in a group
     * @param withoutAttribute rows left out because the attribute is missing
     * @param withoutTarget    rows of the version without a target value (never held out, never scored)
     * @param notScorable      rows whose feature values the model's input schema refused
     */
    public record Rows(long evaluated, long withoutAttribute, long withoutTarget, long notScorable) {}

    /**
     * One group: the rows whose attribute has {@code value}.
     *
     * @param n                            rows in the group
     * @param tooSmall                     fewer rows than the minimum group size: rates withheld, not compared
     * @param selectionRate                share predicted positive
     * @param accuracy                     share predicted correctly (the exact label, for multi-class models)
     * @param truePositiveRate             share of the actually positive predicted positive (null without positives)
     * @param baseRate                     share actually positive
     * @param disparateImpactVsPrivileged  selection rate over the privileged group's (null when not asked or undefined)
     */
    public record Group(String value, long n, boolean tooSmall, Double selectionRate, Double accuracy,
            Double truePositiveRate, Double baseRate, Double disparateImpactVsPrivileged) {}

    /**
     * The comparisons between the groups large enough to compare; null when undefined.
     *
     * @param groupsCompared              groups at or above the minimum size
     * @param demographicParityDifference highest minus lowest selection rate
     * @param disparateImpactRatio        lowest over highest selection rate
     * @param disparateImpactVsPrivileged lowest selection rate of another group over the privileged group's
     * @param equalOpportunityDifference  highest minus lowest true-positive rate
     * @param flagged                     a threshold was crossed (and an alert raised)
     */
    public record Summary(int groupsCompared, Double demographicParityDifference, Double disparateImpactRatio,
            Double disparateImpactVsPrivileged, Double equalOpportunityDifference, boolean flagged) {}

    /**
     * @param disparateImpact  a ratio below this is flagged (0.8: the four-fifths rule)
     * @param parityDifference a difference above this is flagged
     * @param minGroupSize     groups with fewer rows are not compared
     */
    public record Thresholds(double disparateImpact, double parityDifference, int minGroupSize) {}
}
