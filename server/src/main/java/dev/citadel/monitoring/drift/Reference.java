package dev.citadel.monitoring.drift;

import java.util.List;

/**
 * A deployed model version's reference distribution: where it comes from (the training dataset
 * version named in the signed lineage) and each monitored feature's summary.
 *
 * @param rows     rows read from the dataset version (all of them: see ADR 0026)
 * @param skipped  features left out: sensitive columns (their values are protected) and types drift
 *                 does not measure
 */
public record Reference(String dataset, int datasetVersion, String datasetSha256, long rows,
        List<FeatureReference> features, List<String> skipped) {}
