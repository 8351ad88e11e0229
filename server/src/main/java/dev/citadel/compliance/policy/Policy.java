package dev.citadel.compliance.policy;

import java.time.Instant;

import dev.citadel.platform.policy.Gate;

/**
 * A policy: at {@code gate}, {@code expression} (CEL, over {@code input}) must evaluate to true; when
 * it does not, {@code effect} applies — {@code deny} refuses the request with {@code message}, {@code
 * warn} lets it through and records the warning.
 */
public record Policy(String id, String scope, Gate gate, String description, String expression, Effect effect,
        String message, boolean enabled, boolean builtIn, Instant updatedAt, String updatedBy) {

    public enum Effect {
        DENY, WARN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final String PLATFORM = "platform";
    public static final String TENANT = "tenant";
}
