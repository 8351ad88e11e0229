package dev.citadel.platform.jobs;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The job runner ({@code citadel.jobs.*}): whether this process takes jobs, how many at once, how
 * long a lease lasts before another worker may take a job over, and how often to retry.
 */
@ConfigurationProperties("citadel.jobs")
@Validated
public record JobsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2") @Min(1) @Max(64) int workers,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("20s") Duration heartbeat,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("3") @Min(1) @Max(20) int maxAttempts,
        @DefaultValue("10s") Duration shutdownGrace) {

    public JobsProperties {
        if (heartbeat != null && lease != null && heartbeat.compareTo(lease) >= 0) {
            throw new IllegalStateException("citadel.jobs.heartbeat must be shorter than citadel.jobs.lease");
        }
    }
}
