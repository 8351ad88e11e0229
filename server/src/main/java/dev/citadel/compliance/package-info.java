/**
 * Compliance: policies as code (Google's Common Expression Language) evaluated at every gate — upload,
 * train, register, approve, deploy, predict, export — from the platform's built-in pack, the platform's
 * own policies and each tenant's; and erasure (a dataset, or a data subject across every version)
 * with signed deletion certificates.
 *
 * <p>Security property: a gate is denied unless every deny policy of the platform and of the tenant
 * holds (a policy that fails to evaluate counts as not holding), tenants cannot change or weaken
 * platform policies, and every denial and warning is an audit entry naming the policy.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "audit", "tenancy", "crypto",
    "privacy", "datasets", "registry"})
package dev.citadel.compliance;
