package dev.citadel.compliance.policy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.CitadelPrincipal;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.access.Role;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.policy.Gate;
import dev.citadel.platform.policy.PolicyGate;
import dev.citadel.tenancy.Members;
import dev.citadel.tenancy.Tenants;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluates the policies in force at a gate: the built-in pack (as overridden by the platform), the
 * platform's own policies, then the tenant's. Compiled policies are cached per tenant for a few
 * seconds (a change made on this replica applies at once, on others within the cache time).
 */
@Component
public class PolicyEnforcer implements PolicyGate {

    private static final Logger log = LoggerFactory.getLogger(PolicyEnforcer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int KEEP_RECORDED = 200;

    private final PolicyRepository repository;
    private final PolicyEngine engine;
    private final TenantTransactions transactions;
    private final AuditLog audit;
    private final Tenants tenants;
    private final Members members;
    private final Clock clock;
    private final long ttlNanos;
    private final Map<TenantId, Snapshot> snapshots = new ConcurrentHashMap<>();

    PolicyEnforcer(PolicyRepository repository, PolicyEngine engine, TenantTransactions transactions, AuditLog audit,
            Tenants tenants, Members members, Clock clock,
            @Value("${citadel.compliance.policy-cache-ttl:5s}") Duration ttl) {
        this.repository = repository;
        this.engine = engine;
        this.transactions = transactions;
        this.audit = audit;
        this.tenants = tenants;
        this.members = members;
        this.clock = clock;
        this.ttlNanos = ttl.toNanos();
    }

    /** A policy in force, compiled. */
    record Active(Policy policy, PolicyEngine.Compiled compiled) {}

    /** What is in force for one tenant, and the tenant facts policies read. */
    record Snapshot(Map<Gate, List<Active>> byGate, Map<String, Object> tenant, long loadedAt) {}

    /** A policy that did not hold. */
    public record Violation(String policy, String scope, Policy.Effect effect, String message, String error) {}

    @Override
    public boolean hasPolicies(TenantId tenant, Gate gate) {
        return !snapshot(tenant).byGate().getOrDefault(gate, List.of()).isEmpty();
    }

    @Override
    public void check(TenantId tenant, Gate gate, Map<String, Object> input) {
        Snapshot snapshot = snapshot(tenant);
        List<Active> active = snapshot.byGate().getOrDefault(gate, List.of());
        if (active.isEmpty() && gate == Gate.PREDICT) {
            return; // the hot path: nothing to evaluate, nothing worth recording
        }
        Map<String, Object> document = document(tenant, gate, snapshot, input);
        List<Violation> violations = new ArrayList<>();
        for (Active a : active) {
            PolicyEngine.Result result = a.compiled().evaluate(document);
            if (!result.holds()) {
                violations.add(new Violation(a.policy().id(), a.policy().scope(), a.policy().effect(), a.policy().message(),
                        result.error()));
            }
        }
        List<Violation> denials = violations.stream().filter(v -> v.effect() == Policy.Effect.DENY).toList();
        String outcome = !denials.isEmpty() ? "deny" : violations.isEmpty() ? "allow" : "warn";
        if (gate != Gate.PREDICT || !violations.isEmpty()) {
            record(tenant, gate, outcome, violations, document);
        }
        violations.forEach(v -> auditViolation(tenant, gate, v));
        if (!denials.isEmpty()) {
            Violation first = denials.getFirst();
            String others = denials.size() == 1 ? "" : " (and " + (denials.size() - 1) + " more: "
                    + String.join(", ", denials.stream().skip(1).map(Violation::policy).toList()) + ")";
            throw new CitadelException(ErrorCode.POLICY_DENIED, "Policy " + first.policy() + ": " + first.message() + others,
                    denials.stream().map(v -> new CitadelException.FieldProblem("policy:" + v.policy(), v.message()))
                            .toList(), null);
        }
    }

    /** The whole input document a gate's policies see (docs/policies.md). */
    Map<String, Object> document(TenantId tenant, Gate gate, Snapshot snapshot, Map<String, Object> input) {
        Map<String, Object> document = new LinkedHashMap<>(input);
        document.put("gate", gate.wireName());
        document.put("tenant", snapshot.tenant());
        document.put("principal", principal(tenant));
        return document;
    }

    /** Evaluates one policy against an input document, for dry runs. */
    public Optional<Violation> evaluate(Policy policy, PolicyEngine.Compiled compiled, Map<String, Object> document) {
        PolicyEngine.Result result = compiled.evaluate(document);
        return result.holds() ? Optional.empty() : Optional.of(new Violation(policy.id(), policy.scope(), policy.effect(),
                policy.message(), result.error()));
    }

    /** The tenant facts, for dry runs of a document that lacks them. */
    public Map<String, Object> tenantFacts(TenantId tenant) {
        return snapshot(tenant).tenant();
    }

    /** Forgets a tenant's compiled policies (or every tenant's, after a platform change). */
    public void invalidate(TenantId tenant) {
        if (tenant.equals(TenantId.PLATFORM)) {
            snapshots.clear();
        } else {
            snapshots.remove(tenant);
        }
    }

    /** The platform's policies in force: the built-in pack with the platform's overrides, then its own. */
    public List<Policy> platformPolicies() {
        List<Policy> stored = transactions.inNewTenantTransaction(TenantId.PLATFORM, () -> repository.list(TenantId.PLATFORM));
        Map<String, Policy> byId = new TreeMap<>();
        BuiltInPolicies.ALL.forEach(p -> byId.put(p.id(), p));
        for (Policy p : stored) {
            boolean builtIn = BuiltInPolicies.find(p.id()).isPresent();
            byId.put(p.id(), builtIn ? new Policy(p.id(), p.scope(), p.gate(), p.description(), p.expression(),
                    p.effect(), p.message(), p.enabled(), true, p.updatedAt(), p.updatedBy()) : p);
        }
        return List.copyOf(byId.values());
    }

    private Snapshot snapshot(TenantId tenant) {
        Snapshot snapshot = snapshots.get(tenant);
        if (snapshot != null && System.nanoTime() - snapshot.loadedAt() < ttlNanos) {
            return snapshot;
        }
        Snapshot loaded = load(tenant);
        snapshots.put(tenant, loaded);
        return loaded;
    }

    private Snapshot load(TenantId tenant) {
        List<Policy> all = new ArrayList<>(platformPolicies());
        Optional<Double> minAccuracy = Optional.empty();
        if (!tenant.equals(TenantId.PLATFORM)) {
            all.addAll(transactions.inNewTenantTransaction(tenant, () -> repository.list(tenant)));
            minAccuracy = transactions.inNewTenantTransaction(tenant, () -> repository.minAccuracy(tenant));
        }
        Map<Gate, List<Active>> byGate = new EnumMap<>(Gate.class);
        for (Policy policy : all) {
            if (!policy.enabled()) {
                continue;
            }
            PolicyEngine.Compiled compiled;
            try {
                compiled = engine.compile(policy.expression());
            } catch (PolicyEngine.InvalidExpression e) {
                // saved policies were type-checked; one that no longer compiles denies rather than vanishes
                log.error("policy {} ({}) no longer compiles; it will deny its gate", policy.id(), policy.scope());
                compiled = new PolicyEngine.Compiled(policy.expression(), null);
            }
            byGate.computeIfAbsent(policy.gate(), g -> new ArrayList<>()).add(new Active(policy, compiled));
        }
        byGate.values().forEach(list -> list.sort(Comparator.comparing((Active a) -> a.policy().scope().equals(Policy.TENANT))
                .thenComparing(a -> a.policy().id())));
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("id", tenant.value());
        tenants.find(tenant).ifPresent(t -> {
            facts.put("region", t.region());
            facts.put("plan", t.plan());
        });
        minAccuracy.ifPresent(m -> facts.put("minAccuracy", m));
        return new Snapshot(byGate, Map.copyOf(facts), System.nanoTime());
    }

    private Map<String, Object> principal(TenantId tenant) {
        Optional<CitadelPrincipal> current = Principals.current();
        Map<String, Object> principal = new LinkedHashMap<>();
        principal.put("id", Principals.currentActor());
        current.ifPresent(p -> {
            principal.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            principal.put("mfa", p.mfa());
            Set<Role> roles = members.membershipsOf(p).getOrDefault(tenant, Set.of());
            principal.put("roles", roles.stream().map(Role::wireName).sorted().toList());
        });
        return principal;
    }

    private void record(TenantId tenant, Gate gate, String outcome, List<Violation> violations, Map<String, Object> document) {
        try {
            String policies = violations.isEmpty() ? null
                    : truncate(String.join(",", violations.stream().map(Violation::policy).toList()), 1000);
            PolicyRepository.RecordedInput recorded = new PolicyRepository.RecordedInput(UUID.randomUUID(), gate, outcome,
                    policies, JSON.writeValueAsString(document), clock.instant());
            transactions.inNewTenantTransaction(tenant, () -> {
                repository.record(tenant, recorded, KEEP_RECORDED);
                return null;
            });
        } catch (RuntimeException e) {
            // the record is a convenience for dry runs; the decision and its audit entry stand without it
            log.warn("could not record the input of a {} gate decision: {}", gate.wireName(), e.getClass().getSimpleName());
        }
    }

    private void auditViolation(TenantId tenant, Gate gate, Violation v) {
        Map<String, String> details = new TreeMap<>();
        details.put("gate", gate.wireName());
        details.put("policy", v.policy());
        details.put("scope", v.scope());
        if (v.error() != null) {
            details.put("error", truncate(v.error(), 200));
        }
        transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant,
                v.effect() == Policy.Effect.DENY ? "policy.deny" : "policy.warn", "policy", v.policy(),
                v.effect() == Policy.Effect.DENY ? AuditOutcome.DENIED : AuditOutcome.SUCCESS, details)));
    }

    static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
