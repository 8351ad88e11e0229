package dev.citadel.compliance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.compliance.policy.BuiltInPolicies;
import dev.citadel.compliance.policy.Policy;
import dev.citadel.compliance.policy.PolicyEnforcer;
import dev.citadel.compliance.policy.PolicyEngine;
import dev.citadel.compliance.policy.PolicyRepository;
import dev.citadel.platform.ResourceNames;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.policy.Gate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Policies as code: a tenant's own (tenant admins), the platform's and the built-in pack (platform
 * administrators), the tenant settings the built-ins read, and dry runs against recorded requests.
 */
@Service
public class Policies {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PolicyRepository repository;
    private final PolicyEngine engine;
    private final PolicyEnforcer enforcer;
    private final TenantTransactions transactions;
    private final AuditLog audit;
    private final Clock clock;

    Policies(PolicyRepository repository, PolicyEngine engine, PolicyEnforcer enforcer, TenantTransactions transactions,
            AuditLog audit, Clock clock) {
        this.repository = repository;
        this.engine = engine;
        this.enforcer = enforcer;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The body of a PUT. */
    public record PolicyRequest(String gate, String description, String expression, String effect, String message,
            Boolean enabled) {}

    public record PolicyView(String id, String scope, String gate, String description, String expression, String effect,
            String message, boolean enabled, boolean builtIn, Instant updatedAt, String updatedBy) {

        static PolicyView of(Policy p) {
            return new PolicyView(p.id(), p.scope(), p.gate().wireName(), p.description(), p.expression(),
                    p.effect().wireName(), p.message(), p.enabled(), p.builtIn(), p.builtIn() && p.updatedAt().equals(Instant.EPOCH)
                            ? null : p.updatedAt(), p.builtIn() && p.updatedAt().equals(Instant.EPOCH) ? null : p.updatedBy());
        }
    }

    public record PutResult(PolicyView policy, boolean created) {}

    /** The settings of a tenant that built-in policies read. */
    public record Settings(Double minAccuracy) {}

    /**
     * A dry run: a saved policy ({@code id}) or an unsaved one ({@code policy}), against an input
     * document ({@code input}) or a recorded gate input ({@code recordedInput}).
     */
    public record EvaluationRequest(String id, PolicyRequest policy, Map<String, Object> input, UUID recordedInput) {}

    public record EvaluationView(String policy, String gate, boolean holds, String result, String message, String error,
            Map<String, Object> input) {}

    public record RecordedInputView(UUID id, String gate, String outcome, List<String> violated, Instant recordedAt,
            Map<String, Object> input) {}

    // ---- tenant policies

    public List<PolicyView> list(TenantId tenant) {
        List<PolicyView> views = new ArrayList<>();
        enforcer.platformPolicies().forEach(p -> views.add(PolicyView.of(p)));
        transactions.inTenant(tenant, () -> repository.list(tenant)).forEach(p -> views.add(PolicyView.of(p)));
        return views;
    }

    public PolicyView get(TenantId tenant, String id) {
        return transactions.inTenant(tenant, () -> repository.find(tenant, id)).map(PolicyView::of)
                .orElseThrow(Policies::notFound);
    }

    public PutResult put(TenantId tenant, String id, PolicyRequest request) {
        Policy policy = validate(tenant.equals(TenantId.PLATFORM) ? Policy.PLATFORM : Policy.TENANT, id, request);
        boolean created = transactions.inTenant(tenant, () -> {
            boolean isNew = repository.save(tenant, policy);
            audit.append(AuditEvent.of(tenant, "policy.put", "policy", id, AuditOutcome.SUCCESS, details(policy)));
            return isNew;
        });
        enforcer.invalidate(tenant);
        return new PutResult(PolicyView.of(tenant.equals(TenantId.PLATFORM) ? withBuiltIn(policy) : policy), created);
    }

    public void delete(TenantId tenant, String id) {
        boolean deleted = transactions.inTenant(tenant, () -> {
            boolean gone = repository.delete(tenant, id);
            if (gone) {
                audit.append(AuditEvent.of(tenant, "policy.delete", "policy", id, AuditOutcome.SUCCESS, Map.of()));
            }
            return gone;
        });
        enforcer.invalidate(tenant);
        if (!deleted) {
            throw notFound();
        }
    }

    // ---- platform policies (the built-in pack can be overridden, and reset by deleting the override)

    public List<PolicyView> listPlatform() {
        return enforcer.platformPolicies().stream().map(PolicyView::of).toList();
    }

    public PolicyView getPlatform(String id) {
        return enforcer.platformPolicies().stream().filter(p -> p.id().equals(id)).findFirst().map(PolicyView::of)
                .orElseThrow(Policies::notFound);
    }

    public PutResult putPlatform(String id, PolicyRequest request) {
        return put(TenantId.PLATFORM, id, request);
    }

    public void deletePlatform(String id) {
        if (BuiltInPolicies.find(id).isPresent()) {
            // resetting a built-in to its definition: deleting an override that is not there is fine
            transactions.inPlatform(() -> {
                if (repository.delete(TenantId.PLATFORM, id)) {
                    audit.append(AuditEvent.of(TenantId.PLATFORM, "policy.delete", "policy", id, AuditOutcome.SUCCESS,
                            Map.of("builtIn", "reset")));
                }
            });
            enforcer.invalidate(TenantId.PLATFORM);
            return;
        }
        delete(TenantId.PLATFORM, id);
    }

    // ---- settings

    public Settings settings(TenantId tenant) {
        return new Settings(transactions.inTenant(tenant, () -> repository.minAccuracy(tenant)).orElse(null));
    }

    public Settings putSettings(TenantId tenant, Settings settings) {
        Double min = settings.minAccuracy();
        if (min != null && (min.isNaN() || min < 0 || min > 1)) {
            throw new CitadelException(ErrorCode.POLICY_INVALID, "The settings are invalid.",
                    List.of(new CitadelException.FieldProblem("minAccuracy", "a number from 0 to 1, or null for none")), null);
        }
        transactions.inTenant(tenant, () -> {
            repository.saveMinAccuracy(tenant, min, clock.instant(), Principals.currentActor());
            audit.append(AuditEvent.of(tenant, "policy.settings.put", "tenant", tenant.value(), AuditOutcome.SUCCESS,
                    Map.of("minAccuracy", String.valueOf(min))));
        });
        enforcer.invalidate(tenant);
        return settings(tenant);
    }

    // ---- dry runs and recorded inputs

    public EvaluationView evaluate(TenantId tenant, EvaluationRequest request) {
        if ((request.id() == null) == (request.policy() == null)) {
            throw invalid("policy", "name a saved policy with id, or give an unsaved one in policy — one of the two");
        }
        if ((request.input() == null) == (request.recordedInput() == null)) {
            throw invalid("input", "give an input document in input, or a recorded gate input's id in recordedInput — "
                    + "one of the two");
        }
        Policy policy = request.id() != null ? find(tenant, request.id()).orElseThrow(Policies::notFound)
                : validate(Policy.TENANT, "dry-run", request.policy());
        Map<String, Object> input;
        if (request.recordedInput() != null) {
            PolicyRepository.RecordedInput recorded = transactions.inTenant(tenant,
                    () -> repository.recorded(tenant, request.recordedInput()))
                    .orElseThrow(() -> new CitadelException(ErrorCode.POLICY_NOT_FOUND, "No such recorded input."));
            if (recorded.gate() != policy.gate()) {
                throw invalid("recordedInput", "the recorded input is from the " + recorded.gate().wireName()
                        + " gate, the policy is for the " + policy.gate().wireName() + " gate");
            }
            input = parse(recorded.input());
        } else {
            input = new LinkedHashMap<>(request.input());
            input.putIfAbsent("gate", policy.gate().wireName());
            input.putIfAbsent("tenant", enforcer.tenantFacts(tenant));
        }
        PolicyEngine.Compiled compiled = compile(policy.expression());
        Optional<PolicyEnforcer.Violation> violation = enforcer.evaluate(policy, compiled, input);
        String result = violation.isEmpty() ? "allow" : policy.effect().wireName();
        return new EvaluationView(policy.id(), policy.gate().wireName(), violation.isEmpty(), result,
                violation.map(PolicyEnforcer.Violation::message).orElse(null),
                violation.map(PolicyEnforcer.Violation::error).orElse(null), input);
    }

    public List<RecordedInputView> recorded(TenantId tenant, String gate, int limit) {
        Gate g = gate == null ? null : Gate.fromWireName(gate).orElseThrow(() -> invalid("gate", gates()));
        return transactions.inTenant(tenant, () -> repository.recorded(tenant, g, limit)).stream()
                .map(r -> new RecordedInputView(r.id(), r.gate().wireName(), r.outcome(),
                        r.policies() == null ? List.of() : List.of(r.policies().split(",")), r.recordedAt(),
                        parse(r.input())))
                .toList();
    }

    // ---- helpers

    private Optional<Policy> find(TenantId tenant, String id) {
        Optional<Policy> own = transactions.inTenant(tenant, () -> repository.find(tenant, id));
        return own.isPresent() ? own : enforcer.platformPolicies().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    private Policy validate(String scope, String id, PolicyRequest request) {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (!ResourceNames.isValid(id)) {
            problems.add(new CitadelException.FieldProblem("id", "1-64 lower-case letters, digits, '.', '_' or '-'"));
        }
        Optional<Gate> gate = request.gate() == null ? Optional.empty() : Gate.fromWireName(request.gate());
        if (gate.isEmpty()) {
            problems.add(new CitadelException.FieldProblem("gate", gates()));
        }
        String effect = request.effect() == null ? "deny" : request.effect();
        if (!effect.equals("deny") && !effect.equals("warn")) {
            problems.add(new CitadelException.FieldProblem("effect", "deny or warn"));
        }
        if (request.message() == null || request.message().isBlank() || request.message().length() > 500) {
            problems.add(new CitadelException.FieldProblem("message", "what a refused caller is told: 1-500 characters"));
        }
        if (request.description() != null && request.description().length() > 1000) {
            problems.add(new CitadelException.FieldProblem("description", "at most 1000 characters"));
        }
        if (request.expression() == null || request.expression().isBlank()) {
            problems.add(new CitadelException.FieldProblem("expression", "a CEL expression over input that must hold"));
        }
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.POLICY_INVALID, "The policy is invalid.", problems, null);
        }
        compile(request.expression());
        return new Policy(id, scope, gate.orElseThrow(), request.description() == null ? "" : request.description().strip(),
                request.expression(), Policy.Effect.valueOf(effect.toUpperCase(java.util.Locale.ROOT)),
                request.message().strip(), request.enabled() == null || request.enabled(), false, clock.instant(),
                Principals.currentActor());
    }

    private PolicyEngine.Compiled compile(String expression) {
        try {
            return engine.compile(expression);
        } catch (PolicyEngine.InvalidExpression e) {
            throw new CitadelException(ErrorCode.POLICY_INVALID, "The expression does not compile: " + e.getMessage(),
                    List.of(new CitadelException.FieldProblem("expression", e.getMessage())), null);
        }
    }

    private static Policy withBuiltIn(Policy p) {
        return BuiltInPolicies.find(p.id()).isEmpty() ? p : new Policy(p.id(), p.scope(), p.gate(), p.description(),
                p.expression(), p.effect(), p.message(), p.enabled(), true, p.updatedAt(), p.updatedBy());
    }

    private static Map<String, String> details(Policy policy) {
        Map<String, String> details = new TreeMap<>();
        details.put("gate", policy.gate().wireName());
        details.put("effect", policy.effect().wireName());
        details.put("enabled", Boolean.toString(policy.enabled()));
        return details;
    }

    private static Map<String, Object> parse(String json) {
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    }

    private static String gates() {
        return "one of " + String.join(", ", java.util.Arrays.stream(Gate.values()).map(Gate::wireName).toList());
    }

    private static CitadelException invalid(String field, String problem) {
        return new CitadelException(ErrorCode.POLICY_INVALID, "The request is invalid.",
                List.of(new CitadelException.FieldProblem(field, problem)), null);
    }

    private static CitadelException notFound() {
        return new CitadelException(ErrorCode.POLICY_NOT_FOUND, "No such policy.");
    }
}
