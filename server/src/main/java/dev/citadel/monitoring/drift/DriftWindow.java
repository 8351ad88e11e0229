package dev.citadel.monitoring.drift;

import java.time.Instant;
import java.util.List;

/**
 * A closed window of live inputs to a deployment and its drift figures per monitored feature.
 *
 * @param instances the live instances the window summarises
 * @param drifted   whether any feature drifted
 */
public record DriftWindow(Instant start, Instant end, String model, int version, long instances, boolean drifted,
        List<FeatureFigures> features) {}
