package dev.citadel.platform.policy;

import java.util.Map;

import dev.citadel.platform.TenantId;

/**
 * Policies as code at a gate. A feature calls {@link #check} with what it is about to do, before it
 * does it; the compliance feature evaluates the platform's policies and then the tenant's. A deny
 * policy that does not hold throws {@code policy.denied} (403) naming the policy; warn policies
 * that do not hold are audited and let the request through.
 */
public interface PolicyGate {

    /**
     * @param tenant the tenant the request acts in
     * @param gate   which gate
     * @param input  the gate's part of the input document (for example {@code model} and {@code deployment});
     *               the evaluator adds {@code gate}, {@code tenant} and {@code principal}. Values are strings,
     *               numbers, booleans, lists and maps only — names and figures, never data values.
     */
    void check(TenantId tenant, Gate gate, Map<String, Object> input);

    /** Whether any policy is in force at the gate, so a hot path builds its input only when one is. */
    default boolean hasPolicies(TenantId tenant, Gate gate) {
        return true;
    }

    /** No policies: for tests of a feature on its own. */
    PolicyGate NONE = new PolicyGate() {
        @Override
        public void check(TenantId tenant, Gate gate, Map<String, Object> input) {}

        @Override
        public boolean hasPolicies(TenantId tenant, Gate gate) {
            return false;
        }
    };
}
