package dev.citadel.monitoring.anomalies;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Anomaly detection ({@code citadel.monitoring.anomalies.*}). Listed in docs/configuration.md.
 *
 * @param history          minutes of per-minute counts kept as each signal's baseline
 * @param minHistory       minutes of baseline needed before the robust threshold applies
 * @param k                how many (scaled) median absolute deviations above the median is a spike
 * @param requestFloor     requests a minute by one principal, or one tenant, never reported
 * @param dataAccessFloor  data reads a minute by one principal (content downloads, exports) never reported
 * @param authFailureFloor failed authentications a minute from one address never reported; also the
 *                         threshold while there is too little history
 */
@ConfigurationProperties("citadel.monitoring.anomalies")
@Validated
record AnomalyProperties(
        @DefaultValue("60") @Min(10) @Max(1440) int history,
        @DefaultValue("10") @Min(3) @Max(1440) int minHistory,
        @DefaultValue("6") @DecimalMin("1") double k,
        @DefaultValue("600") @Min(1) int requestFloor,
        @DefaultValue("60") @Min(1) int dataAccessFloor,
        @DefaultValue("20") @Min(1) int authFailureFloor) {}
