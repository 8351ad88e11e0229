package dev.citadel.monitoring.bias;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bias report settings ({@code citadel.monitoring.bias.*}): when a report raises an alert, and which
 * attributes and groups it takes.
 *
 * @param disparateImpactThreshold  alert when the disparate impact ratio is below this (the four-fifths rule: 0.8)
 * @param parityDifferenceThreshold alert when the demographic parity difference is above this
 * @param minGroupSize              groups with fewer evaluated rows show only their count and are not compared
 * @param maxGroups                 attributes with more distinct values are refused
 */
@ConfigurationProperties("citadel.monitoring.bias")
@Validated
record BiasProperties(
        @DefaultValue("0.8") @DecimalMin("0.0") @DecimalMax("1.0") double disparateImpactThreshold,
        @DefaultValue("0.1") @DecimalMin("0.0") @DecimalMax("1.0") double parityDifferenceThreshold,
        @DefaultValue("30") @Min(1) @Max(100_000) int minGroupSize,
        @DefaultValue("50") @Min(2) @Max(1000) int maxGroups) {

    BiasReport.Thresholds thresholds() {
        return new BiasReport.Thresholds(disparateImpactThreshold, parityDifferenceThreshold, minGroupSize);
    }
}
