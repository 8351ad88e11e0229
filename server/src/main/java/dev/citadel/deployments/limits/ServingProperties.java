package dev.citadel.deployments.limits;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Serving limits per tenant plan.
 *
 * @param plans       plan name → limits; a plan without an entry gets {@code standard}'s
 * @param bulkheadWait how long a request waits for one of its tenant's slots before 429 serving.busy
 */
@ConfigurationProperties("citadel.serving.limits")
@org.springframework.validation.annotation.Validated
public record ServingProperties(Map<String, @jakarta.validation.Valid PlanLimits> plans, Duration bulkheadWait) {

    /**
     * @param tenantPerMinute    predictions requests a tenant may make per minute (burst: a minute's worth)
     * @param principalPerMinute requests one principal may make per minute
     * @param concurrency        a tenant's requests running at once on one server
     */
    public record PlanLimits(@jakarta.validation.constraints.Min(1) long tenantPerMinute,
            @jakarta.validation.constraints.Min(1) long principalPerMinute,
            @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(10_000) int concurrency) {}

    PlanLimits forPlan(String plan) {
        PlanLimits limits = plans == null ? null : plans.get(plan);
        if (limits == null && plans != null) {
            limits = plans.get("standard");
        }
        return limits == null ? new PlanLimits(60_000, 30_000, 8) : limits;
    }

    Duration bulkheadWaitOrDefault() {
        return bulkheadWait == null ? Duration.ofMillis(200) : bulkheadWait;
    }
}
