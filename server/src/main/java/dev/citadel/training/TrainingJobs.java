package dev.citadel.training;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.datasets.Datasets;
import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.Finding;
import dev.citadel.platform.ResourceNames;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.jobs.JobView;
import dev.citadel.platform.jobs.Jobs;
import dev.citadel.registry.Models;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submits, shows and cancels training jobs. A request is checked completely before it is queued
 * — names, task and algorithm, parameters, target and features against the dataset version's
 * schema, and the sensitive-data gate — so a queued job fails only for reasons the data reveals
 * while training.
 */
@Service
public class TrainingJobs {

    static final String KIND = "training";
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_FEATURES = 500;
    /** Record identifiers (id, patient_id, PatientID…) are not features unless named explicitly. */
    private static final Pattern IDENTIFIER_NAME = Pattern.compile("(?i:(.*[_\\- ])?id)|.*[a-z]ID");
    private static final int MAX_CLASSES = 100;

    private final Jobs jobs;
    private final Datasets datasets;
    private final Models models;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final dev.citadel.platform.policy.PolicyGate policies;
    private final PrivacyBudgets budgets;

    TrainingJobs(Jobs jobs, Datasets datasets, Models models, AuditLog audit, TenantTransactions transactions,
            dev.citadel.platform.policy.PolicyGate policies, PrivacyBudgets budgets) {
        this.policies = policies;
        this.budgets = budgets;
        this.jobs = jobs;
        this.datasets = datasets;
        this.models = models;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** A training job as the API shows it. */
    public record TrainingJobView(UUID id, String state, String phase, int percent, TrainingRequest request,
            ModelVersionRef modelVersion, Map<String, Object> metrics, String error, String createdBy, Instant createdAt,
            Instant startedAt, Instant finishedAt, Long durationMillis) {}

    public record ModelVersionRef(String model, int version) {}

    /** The checked request, with effective parameters and features, as the job will run it. */
    record Plan(TrainingRequest request, Task task, Algorithm algorithm, Map<String, Number> params, List<String> features,
            Datasets.VersionView version, PrivateTraining.Settings privacy) {}

    /**
     * Checks and queues a training job.
     *
     * @param maySeeSensitive whether the caller may train on identifiers kept unprotected (data steward)
     */
    public TrainingJobView submit(TenantId tenant, TrainingRequest request, boolean maySeeSensitive) {
        Plan plan = plan(tenant, request);
        List<String> kept = plan.version().keptSensitive() == null ? List.of() : plan.version().keptSensitive();
        if (!kept.isEmpty()) {
            if (!Boolean.TRUE.equals(request.allowSensitive())) {
                throw new CitadelException(ErrorCode.TRAINING_SENSITIVE_DATA, "Dataset " + request.dataset() + " version "
                        + request.version() + " holds identifiers kept unprotected (" + String.join(", ", kept)
                        + "); training on it needs \"allowSensitive\": true from a data steward.");
            }
            if (!maySeeSensitive) {
                transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant, "access.denied",
                        "action", "training.allow-sensitive", AuditOutcome.DENIED, Map.of("reason", "role",
                                "dataset", request.dataset()))));
                throw new CitadelException(ErrorCode.ACCESS_DENIED,
                        "allowSensitive needs the privacy.keep permission (data-steward).");
            }
        }
        TrainingRequest normalised = new TrainingRequest(request.model(), request.dataset(), request.version(),
                request.target(), plan.task().wireName(), plan.algorithm().wireName(), new TreeMap<>(plan.params()),
                plan.features(), request.testFractionOrDefault(), request.seedOrDefault(),
                kept.isEmpty() ? null : Boolean.TRUE, request.privacy());
        Map<String, Object> planned = new java.util.LinkedHashMap<>();
        planned.put("model", request.model());
        planned.put("task", plan.task().wireName());
        planned.put("algorithm", plan.algorithm().wireName());
        planned.put("target", request.target());
        planned.put("features", plan.features());
        planned.put("allowSensitive", !kept.isEmpty());
        planned.put("privacy", plan.privacy() != null);
        if (plan.privacy() != null) {
            planned.put("epsilon", plan.privacy().epsilon());
            planned.put("delta", plan.privacy().delta());
        }
        Map<String, Object> dataset = new java.util.LinkedHashMap<>(Datasets.policyInput(plan.version()));
        dataset.put("sensitive", budgets.sensitive(tenant, request.dataset()));
        policies.check(tenant, dev.citadel.platform.policy.Gate.TRAIN, Map.of("dataset", dataset, "job", planned));
        String json = JSON.writeValueAsString(normalised);
        if (json.length() > 3500) {
            throw new CitadelException(ErrorCode.TRAINING_INVALID, "The request is too large: name fewer features.",
                    List.of(new CitadelException.FieldProblem("features", "too many or too long feature names")), null);
        }
        JobView job;
        try {
            job = transactions.inTenant(tenant, () -> queue(tenant, request, plan, json, kept));
        } catch (CitadelException e) {
            if (e.code() == ErrorCode.PRIVACY_BUDGET_EXHAUSTED) {
                budgets.refused(tenant, request.dataset(), request.version(), plan.privacy().epsilon());
            }
            throw e;
        }
        return view(tenant, job);
    }

    /** Queues the job, charges a DP job's ε to the dataset version's ledger, audits both; one transaction. */
    private JobView queue(TenantId tenant, TrainingRequest request, Plan plan, String json, List<String> kept) {
        JobView submitted = jobs.submit(tenant, KIND, Map.of("request", json, "startedBy", Principals.currentActor()));
        if (plan.privacy() != null) {
            budgets.charge(tenant, request.dataset(), request.version(), submitted.id(), request.model(),
                    plan.privacy().epsilon(), plan.privacy().delta(), Principals.currentActor());
        }
        Map<String, String> details = new TreeMap<>();
        details.put("job", submitted.id().toString());
        details.put("model", request.model());
        details.put("dataset", request.dataset() + "/v" + request.version());
        details.put("algorithm", plan.algorithm().wireName());
        audit.append(AuditEvent.of(tenant, "training.submit", "training-job", submitted.id().toString(),
                AuditOutcome.SUCCESS, details));
        if (!kept.isEmpty()) {
            audit.append(AuditEvent.of(tenant, "training.allow-sensitive", "training-job", submitted.id().toString(),
                    AuditOutcome.SUCCESS, Map.of("dataset", request.dataset() + "/v" + request.version(),
                            "columns", String.join(",", kept))));
        }
        return submitted;
    }

    public TrainingJobView get(TenantId tenant, UUID id) {
        JobView job = jobs.find(tenant, id).filter(j -> j.kind().equals(KIND))
                .orElseThrow(() -> new CitadelException(ErrorCode.TRAINING_JOB_NOT_FOUND, "No such training job."));
        return view(tenant, job);
    }

    public List<TrainingJobView> list(TenantId tenant, int limit) {
        return jobs.list(tenant, KIND, limit).stream().map(job -> view(tenant, job)).toList();
    }

    public TrainingJobView cancel(TenantId tenant, UUID id) {
        get(tenant, id);
        JobView job = jobs.cancel(tenant, id);
        transactions.inTenant(tenant, () -> audit.append(AuditEvent.of(tenant, "training.cancel", "training-job",
                id.toString(), AuditOutcome.SUCCESS, Map.of("state", job.state()))));
        return view(tenant, job);
    }

    /** Validates a request against the dataset version; every problem is reported at once. */
    Plan plan(TenantId tenant, TrainingRequest request) {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (!ResourceNames.isValid(request.model())) {
            problems.add(problem("model", "1-64 lower-case letters, digits, '.', '_' or '-'"));
        }
        if (!ResourceNames.isValid(request.dataset())) {
            problems.add(problem("dataset", "the name of one of the tenant's datasets"));
        }
        if (request.version() == null || request.version() < 1) {
            problems.add(problem("version", "a dataset version number (1 or more)"));
        }
        if (request.target() == null || request.target().isBlank()) {
            problems.add(problem("target", "the column to predict"));
        }
        Task task = request.task() == null ? null : Task.fromWireName(request.task()).orElse(null);
        if (task == null) {
            problems.add(problem("task", "classification or regression"));
        }
        Algorithm algorithm = request.algorithm() == null ? null : Algorithm.fromWireName(request.algorithm()).orElse(null);
        if (algorithm == null) {
            problems.add(problem("algorithm", "one of " + Algorithm.names()));
        } else if (task != null && !algorithm.supports(task)) {
            problems.add(problem("algorithm", algorithm.wireName() + " does not do " + task.wireName()));
        }
        Map<String, Number> params = algorithm == null ? Map.of() : algorithm.resolve(request.params(), problems);
        if (request.testFraction() != null
                && (!(request.testFraction() >= 0.05) || !(request.testFraction() <= 0.5))) {
            problems.add(problem("testFraction", "between 0.05 and 0.5"));
        }
        if (request.features() != null && (request.features().isEmpty() || request.features().size() > MAX_FEATURES)) {
            problems.add(problem("features", "1 to " + MAX_FEATURES + " column names, or leave it out for all"));
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        Datasets.VersionView version = datasets.version(tenant, request.dataset(), request.version());
        Map<String, ColumnSchema> columns = new TreeMap<>();
        version.schema().forEach(c -> columns.put(c.name(), c));
        Set<String> sensitive = new LinkedHashSet<>();
        version.findings().stream().map(Finding::column).forEach(sensitive::add);
        ColumnSchema target = columns.get(request.target());
        if (target == null) {
            problems.add(problem("target", "the dataset version has no column " + clip(request.target())));
        } else if (task == Task.REGRESSION && !(target.type().equals("integer") || target.type().equals("decimal"))) {
            problems.add(problem("target", "regression needs a numeric target; " + target.name() + " is " + target.type()));
        } else if (task == Task.CLASSIFICATION) {
            boolean labelled = target.type().equals("boolean") || target.type().equals("categorical")
                    || target.type().equals("integer") || target.type().equals("text");
            if (!labelled || target.distinct() == null || target.distinct() > MAX_CLASSES) {
                problems.add(problem("target", "classification needs a column with 2 to " + MAX_CLASSES
                        + " distinct values; " + target.name() + " is " + target.type()
                        + (target.distinct() == null ? " with many values" : " with " + target.distinct() + " values")));
            } else if (target.distinct() < 2) {
                problems.add(problem("target", target.name() + " has fewer than 2 distinct values"));
            }
        }
        List<String> features = new ArrayList<>();
        if (request.features() != null) {
            Set<String> seen = new LinkedHashSet<>();
            for (String name : request.features()) {
                ColumnSchema column = name == null ? null : columns.get(name);
                if (column == null) {
                    problems.add(problem("features", "the dataset version has no column " + clip(name)));
                } else if (name.equals(request.target())) {
                    problems.add(problem("features", "the target " + name + " cannot also be a feature"));
                } else if (!TrainingTable.FEATURE_TYPES.contains(column.type())) {
                    problems.add(problem("features", name + " is " + column.type() + "; features must be one of "
                            + TrainingTable.FEATURE_TYPES));
                } else if (seen.add(name)) {
                    features.add(name);
                }
            }
        } else {
            for (ColumnSchema column : version.schema()) {
                if (!column.name().equals(request.target()) && !sensitive.contains(column.name())
                        && !IDENTIFIER_NAME.matcher(column.name()).matches()
                        && TrainingTable.FEATURE_TYPES.contains(column.type())) {
                    features.add(column.name());
                }
            }
            if (features.isEmpty() && target != null) {
                problems.add(problem("features", "the dataset version has no numeric, boolean or categorical column "
                        + "besides the target and its sensitive columns"));
            }
        }
        PrivateTraining.Settings privacy = problems.isEmpty() ? PrivacyRequests.check(request, algorithm, task, params,
                features, columns, version.rows(), problems) : null;
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new Plan(request, task, algorithm, params, features, version, privacy);
    }

    private TrainingJobView view(TenantId tenant, JobView job) {
        TrainingRequest request = JSON.readValue(job.params().get("request"), TrainingRequest.class);
        ModelVersionRef ref = null;
        Map<String, Object> metrics = null;
        if (job.result().containsKey("model") && job.result().containsKey("version")) {
            ref = new ModelVersionRef(job.result().get("model"), Integer.parseInt(job.result().get("version")));
            metrics = models.describe(tenant, ref.model(), ref.version()).metrics();
        }
        Long duration = job.startedAt() == null || job.finishedAt() == null ? null
                : job.finishedAt().toEpochMilli() - job.startedAt().toEpochMilli();
        return new TrainingJobView(job.id(), job.state(), job.phase(), job.percent(), request, ref, metrics, job.error(),
                job.createdBy(), job.createdAt(), job.startedAt(), job.finishedAt(), duration);
    }

    private static CitadelException invalid(List<CitadelException.FieldProblem> problems) {
        return new CitadelException(ErrorCode.TRAINING_INVALID, "The training request is invalid.", problems, null);
    }

    private static CitadelException.FieldProblem problem(String field, String message) {
        return new CitadelException.FieldProblem(field, message);
    }

    static String clip(String value) {
        if (value == null) {
            return "(null)";
        }
        String safe = value.replaceAll("\\p{Cntrl}", "?");
        return safe.length() > 80 ? safe.substring(0, 77) + "..." : safe;
    }
}
