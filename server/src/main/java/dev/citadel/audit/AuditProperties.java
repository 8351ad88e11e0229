package dev.citadel.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Audit checkpoints ({@code citadel.audit.*}). Listed in docs/configuration.md.
 *
 * {@code citadel.audit.checkpoint-interval} (how often every chain with entries no checkpoint covers
 * gets one, default 30 s) is read by the scheduler directly.
 *
 * @param checkpointEvery entries after which a tenant's chain gets a checkpoint at once
 */
@ConfigurationProperties("citadel.audit")
@Validated
record AuditProperties(
        @DefaultValue("1000") @Min(1) @Max(1_000_000) int checkpointEvery) {}
