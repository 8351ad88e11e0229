package dev.citadel.monitoring.drift;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Drift monitoring settings ({@code citadel.monitoring.drift.*}, docs/configuration.md).
 *
 * @param enabled          whether live inputs are summarised at all
 * @param windowInstances  a window closes once it holds this many instances
 * @param windowDuration   … or once it is this old and holds at least {@code minInstances}
 * @param minInstances     fewer instances than this never make a window (its figures would be noise)
 * @param bins             numeric features' quantile bins (from the reference)
 * @param topCategories    categorical features keep their most frequent categories; the rest are "other"
 * @param liveSample       live values kept per numeric feature and window for the KS test (in memory only)
 * @param referenceSample  training values sampled per numeric feature to summarise the reference
 * @param psiThreshold     a feature drifted when its PSI exceeds this …
 * @param ksPValue         … or its KS p-value is below this
 * @param sweepInterval    how often windows old enough are closed
 */
@ConfigurationProperties("citadel.monitoring.drift")
@Validated
public record DriftProperties(Boolean enabled, @Min(1) @Max(1_000_000) Integer windowInstances, Duration windowDuration,
        @Min(1) Integer minInstances, @Min(2) @Max(100) Integer bins, @Min(1) @Max(1000) Integer topCategories,
        @Min(10) @Max(100_000) Integer liveSample, @Min(100) @Max(10_000_000) Integer referenceSample,
        @DecimalMin("0.0") Double psiThreshold, @DecimalMin("0.0") @DecimalMax("1.0") Double ksPValue,
        Duration sweepInterval) {

    public DriftProperties {
        enabled = enabled == null || enabled;
        windowInstances = windowInstances == null ? 1000 : windowInstances;
        windowDuration = windowDuration == null ? Duration.ofMinutes(5) : windowDuration;
        minInstances = Math.min(minInstances == null ? 200 : minInstances, windowInstances);
        bins = bins == null ? 10 : bins;
        topCategories = topCategories == null ? 20 : topCategories;
        liveSample = liveSample == null ? 2000 : liveSample;
        referenceSample = referenceSample == null ? 50_000 : referenceSample;
        psiThreshold = psiThreshold == null ? 0.2 : psiThreshold;
        ksPValue = ksPValue == null ? 0.01 : ksPValue;
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(30) : sweepInterval;
    }
}
