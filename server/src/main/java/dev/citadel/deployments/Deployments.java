package dev.citadel.deployments;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.deployments.runtime.InstanceEncoder;
import dev.citadel.deployments.runtime.ModelCache;
import dev.citadel.platform.ResourceNames;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.registry.Models;
import dev.citadel.registry.Stage;

/**
 * Creates, changes and removes deployments. A version is deployed only if it is approved (or
 * already in production) and loads verified; deploying promotes it to production. Switching a
 * deployment to another version is one row update: requests in flight finish on the model they
 * already hold, new ones get the new version, none is lost.
 */
@Service
public class Deployments {

    private final DeploymentRepository repository;
    private final Models models;
    private final ModelCache cache;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final dev.citadel.platform.policy.PolicyGate policies;
    private final dev.citadel.tenancy.Tenants tenants;

    /** Rows for the prediction path, valid while the access epoch has not moved (any deploy or delete moves it). */
    private final dev.citadel.platform.db.AccessEpoch.Cache<Map.Entry<TenantId, String>,
            java.util.Optional<DeploymentRepository.Row>> servingRows;

    Deployments(DeploymentRepository repository, Models models, ModelCache cache, AuditLog audit,
            TenantTransactions transactions, Clock clock, dev.citadel.platform.policy.PolicyGate policies,
            dev.citadel.tenancy.Tenants tenants, dev.citadel.platform.db.AccessEpoch epoch) {
        this.servingRows = epoch.cache(100_000);
        this.policies = policies;
        this.tenants = tenants;
        this.repository = repository;
        this.models = models;
        this.cache = cache;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Output modes: the label only, every score, or scores rounded to {@code precision} digits. */
    public enum Output {
        LABEL("label"), SCORES("scores"), ROUNDED_SCORES("rounded-scores");

        private final String wireName;

        Output(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Optional<Output> fromWireName(String name) {
            for (Output output : values()) {
                if (output.wireName.equals(name)) {
                    return Optional.of(output);
                }
            }
            return Optional.empty();
        }
    }

    /** What a deployment should serve, and how. */
    public record DeploymentRequest(String model, Integer version, String output, Integer precision, Integer topK,
            String unknownCategories, Integer maxBatch, Integer dailyBudget, String extraction, String region,
            List<String> exceptions) {}

    public record DeploymentView(String name, String model, int version, String output, int precision, Integer topK,
            String unknownCategories, int maxBatch, Integer dailyBudget, String extraction, String region,
            List<String> exceptions, String stage, String sha256, Instant createdAt,
            String createdBy,
            Instant updatedAt, String updatedBy) {}

    public DeploymentView put(TenantId tenant, String name, DeploymentRequest request) {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (!ResourceNames.isValid(name)) {
            problems.add(problem("name", "1-64 lower-case letters, digits, '.', '_' or '-'"));
        }
        if (!ResourceNames.isValid(request.model())) {
            problems.add(problem("model", "the name of one of the tenant's models"));
        }
        if (request.version() == null || request.version() < 1) {
            problems.add(problem("version", "a model version number"));
        }
        Output output = request.output() == null ? Output.LABEL : Output.fromWireName(request.output()).orElse(null);
        if (output == null) {
            problems.add(problem("output", "label, scores or rounded-scores"));
        }
        int precision = request.precision() == null ? 2 : request.precision();
        if (precision < 0 || precision > 6) {
            problems.add(problem("precision", "0 to 6 decimal digits"));
        }
        if (request.topK() != null && (request.topK() < 1 || request.topK() > 100)) {
            problems.add(problem("topK", "1 to 100"));
        }
        String unknown = request.unknownCategories() == null ? "reject" : request.unknownCategories();
        if (!unknown.equals("reject") && !unknown.equals("ignore")) {
            problems.add(problem("unknownCategories", "reject (400 naming the field) or ignore (treated as unseen)"));
        }
        int maxBatch = request.maxBatch() == null ? 100 : request.maxBatch();
        if (maxBatch < 1 || maxBatch > 1000) {
            problems.add(problem("maxBatch", "1 to 1000 instances per request"));
        }
        if (request.dailyBudget() != null && (request.dailyBudget() < 1 || request.dailyBudget() > 1_000_000_000)) {
            problems.add(problem("dailyBudget", "1 to 1000000000 predictions per principal per day, or leave it out"));
        }
        String extraction = request.extraction() == null ? "alert" : request.extraction();
        if (!List.of("alert", "throttle", "block").contains(extraction)) {
            problems.add(problem("extraction", "alert, throttle or block: what to do when a principal's queries look like "
                    + "model extraction"));
        }
        String region = request.region() == null ? tenantRegion(tenant) : request.region();
        if (region == null || !region.matches("[a-z0-9][a-z0-9-]{1,31}")) {
            problems.add(problem("region", "a region slug such as eu-west-1 (default: the tenant's region)"));
        }
        List<String> exceptions = request.exceptions() == null ? List.of()
                : request.exceptions().stream().distinct().sorted().toList();
        if (exceptions.stream().anyMatch(e -> e == null || !e.matches("[a-z0-9][a-z0-9-]{0,63}"))) {
            problems.add(problem("exceptions", "policy exception names such as raw-scores"));
        }
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.DEPLOYMENT_INVALID, "The deployment is invalid.", problems, null);
        }
        Models.VersionView version = models.describe(tenant, request.model(), request.version());
        Stage stage = Stage.fromWireName(version.stage()).orElseThrow();
        if (!stage.deployable()) {
            throw new CitadelException(ErrorCode.MODEL_STAGE_CONFLICT, "Only approved or production versions can be "
                    + "deployed; " + request.model() + " version " + request.version() + " is " + stage.wireName() + ".");
        }
        ModelCache.Key key = new ModelCache.Key(tenant, request.model(), request.version());
        try {
            cache.get(key).encoder(InstanceEncoder.UnknownCategories.valueOf(unknown.toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new CitadelException(ErrorCode.DEPLOYMENT_INVALID, "This model cannot be served: " + e.getMessage() + ".");
        }
        Map<String, Object> deployment = new java.util.LinkedHashMap<>();
        deployment.put("name", name);
        deployment.put("output", output.wireName());
        deployment.put("region", region);
        deployment.put("exceptions", exceptions);
        deployment.put("maxBatch", maxBatch);
        deployment.put("extraction", extraction);
        policies.check(tenant, dev.citadel.platform.policy.Gate.DEPLOY, Map.of("model",
                // the cache load above verified signature and digest (it throws otherwise): no second decryption
                Models.policyInput(version, true), "deployment", deployment));
        models.promote(tenant, request.model(), request.version());
        Instant now = clock.instant();
        String actor = Principals.currentActor();
        return transactions.inTenant(tenant, () -> {
            Optional<DeploymentRepository.Row> existing = repository.find(tenant, name);
            DeploymentRepository.Row row = new DeploymentRepository.Row(existing.map(DeploymentRepository.Row::id)
                    .orElseGet(UUID::randomUUID), name, request.model(), request.version(), output.wireName(), precision,
                    request.topK(), unknown, maxBatch, request.dailyBudget(), extraction, region, exceptions, existing.map(DeploymentRepository.Row::createdAt).orElse(now),
                    existing.map(DeploymentRepository.Row::createdBy).orElse(actor), now, actor);
            if (existing.isPresent()) {
                repository.update(tenant, row);
            } else {
                try {
                    repository.insert(tenant, row);
                } catch (DuplicateKeyException raced) {
                    repository.update(tenant, row);
                }
            }
            Map<String, String> details = new TreeMap<>();
            details.put("model", request.model());
            details.put("version", Integer.toString(request.version()));
            details.put("sha256", version.artifact().sha256());
            details.put("output", output.wireName());
            details.put("region", region);
            if (!exceptions.isEmpty()) {
                details.put("exceptions", String.join(",", exceptions));
            }
            existing.ifPresent(e -> details.put("previous", e.model() + "/v" + e.version()));
            audit.append(AuditEvent.of(tenant, "deployment.put", "deployment", row.id().toString(), AuditOutcome.SUCCESS,
                    details));
            return view(tenant, row);
        });
    }

    public List<DeploymentView> list(TenantId tenant) {
        return transactions.inTenant(tenant, () -> repository.list(tenant).stream().map(row -> view(tenant, row)).toList());
    }

    public DeploymentView get(TenantId tenant, String name) {
        return transactions.inTenant(tenant, () -> view(tenant, row(tenant, name)));
    }

    public void delete(TenantId tenant, String name) {
        transactions.inTenant(tenant, () -> {
            DeploymentRepository.Row row = row(tenant, name);
            repository.delete(tenant, name);
            audit.append(AuditEvent.of(tenant, "deployment.delete", "deployment", row.id().toString(),
                    AuditOutcome.SUCCESS, Map.of("model", row.model(), "version", Integer.toString(row.version()))));
        });
    }

    /** The deployment's row for serving a request: from memory while nothing changed, else read in its own transaction. */
    DeploymentRepository.Row servingRow(TenantId tenant, String name) {
        return servingRows.get(Map.entry(tenant, name), () -> transactions.inTenant(tenant, () -> repository.find(tenant, name)))
                .orElseThrow(Deployments::notFound);
    }

    DeploymentRepository.Row row(TenantId tenant, String name) {
        return repository.find(tenant, name).orElseThrow(Deployments::notFound);
    }

    private static CitadelException notFound() {
        return new CitadelException(ErrorCode.DEPLOYMENT_NOT_FOUND, "No such deployment.");
    }

    private DeploymentView view(TenantId tenant, DeploymentRepository.Row row) {
        Models.VersionView version = models.describe(tenant, row.model(), row.version());
        return new DeploymentView(row.name(), row.model(), row.version(), row.output(), row.precision(), row.topK(),
                row.unknownCategories(), row.maxBatch(), row.dailyBudget(), row.extraction(),
                row.region(), row.exceptions(), version.stage(), version.artifact().sha256(), row.createdAt(),
                row.createdBy(), row.updatedAt(), row.updatedBy());
    }

    private String tenantRegion(TenantId tenant) {
        return tenants.find(tenant).map(dev.citadel.tenancy.Tenants.TenantView::region).orElse(null);
    }

    private static CitadelException.FieldProblem problem(String field, String message) {
        return new CitadelException.FieldProblem(field, message);
    }
}
