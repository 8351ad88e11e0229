package dev.citadel.deployments;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.citadel.platform.TenantId;
import dev.citadel.registry.InputSchema;

/**
 * One answered request as observers see it: which deployment and model version answered, the
 * version's input schema, and the instances exactly as the client sent them (raw, before any privacy
 * transform), every one of which passed validation. The list is the request's own, not a copy.
 */
public record ObservedPredictions(TenantId tenant, String deployment, String model, int version, InputSchema schema,
        List<Map<String, Object>> instances) {

    public ObservedPredictions {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(instances, "instances");
    }
}
