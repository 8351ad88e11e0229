package dev.citadel.monitoring.bias;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A bias report as the API shows it: what was asked, on which rows, how far its job has got, and
 * once it has succeeded the per-group figures and the comparisons.
 *
 * @param state   {@code queued}, {@code running}, {@code succeeded} or {@code failed}
 * @param flagged whether a threshold was crossed; this and the fields of {@link BiasReport} ({@code rows},
 *                {@code groups}, {@code summary}, {@code thresholds}, {@code findings}) are null until it succeeded
 */
public record BiasReportView(UUID id, String model, int version, String attribute, String positiveLabel,
        String privilegedGroup, Evaluation evaluation, String state, String phase, int percent, Boolean flagged,
        BiasReport.Rows rows, List<BiasReport.Group> groups, BiasReport.Summary summary,
        BiasReport.Thresholds thresholds, List<String> findings, String error, String createdBy, Instant createdAt,
        Instant finishedAt) {

    /**
     * The evaluation rows.
     *
     * @param rows {@code held-out} (the test rows of the training split) or {@code all} (every row of another version)
     */
    public record Evaluation(String dataset, int version, String sha256, String rows, Double testFraction, Long seed) {}
}
