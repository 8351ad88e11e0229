package dev.citadel.monitoring.bias;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
import dev.citadel.registry.InputSchema;
import dev.citadel.registry.Models;
import dev.citadel.training.OfflineTraining;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests, shows and lists bias reports. A request is checked completely before its job is queued
 * — the model is a classifier, the labels are its labels, the evaluation data holds the model's
 * columns and the attribute, and the attribute is a column of groups (not identifiers, not tokens,
 * at most {@code maxGroups} values) — so a job fails only for what reading the rows reveals.
 */
@Service
@EnableConfigurationProperties(BiasProperties.class)
public class BiasReports {

    static final String KIND = "monitoring.bias-report";
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Protections whose stored values are not group labels (a generalised column is: ranges, years). */
    private static final java.util.Set<String> NOT_GROUPS = java.util.Set.of("tokenize", "mask", "drop", "keep",
            "redact-values");
    private static final String TOKEN_PREFIX = "tok_";

    private final Models models;
    private final Datasets datasets;
    private final Jobs jobs;
    private final BiasReportRepository repository;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final BiasProperties properties;

    BiasReports(Models models, Datasets datasets, Jobs jobs, BiasReportRepository repository, AuditLog audit,
            TenantTransactions transactions, Clock clock, BiasProperties properties) {
        this.models = models;
        this.datasets = datasets;
        this.jobs = jobs;
        this.repository = repository;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /** Checks a request and queues its job; the report, audited as {@code monitoring.bias_report}, starts queued. */
    public BiasReportView submit(TenantId tenant, String model, int version, BiasReportRequest request) {
        BiasPlan plan = plan(tenant, model, version, request);
        String json = JSON.writeValueAsString(plan);
        if (json.length() > 3500) {
            throw invalid(List.of(problem("attribute", "the attribute, the labels and the group names are too long")));
        }
        String actor = Principals.currentActor();
        UUID id = transactions.inTenant(tenant, () -> {
            JobView job = jobs.submit(tenant, KIND, Map.of("plan", json, "startedBy", actor));
            repository.insert(tenant, new BiasReportRepository.Row(job.id(), model, version, plan.attribute(), json,
                    BiasReportRepository.PENDING, null, null, null, actor, clock.instant(), null));
            Map<String, String> details = new TreeMap<>();
            details.put("model", model);
            details.put("version", Integer.toString(version));
            details.put("attribute", clip(plan.attribute()));
            details.put("dataset", plan.dataset() + "/v" + plan.datasetVersion());
            details.put("rows", plan.rows());
            audit.append(AuditEvent.of(tenant, "monitoring.bias_report", "bias-report", job.id().toString(),
                    AuditOutcome.SUCCESS, details));
            return job.id();
        });
        return get(tenant, model, version, id);
    }

    public BiasReportView get(TenantId tenant, String model, int version, UUID id) {
        models.describe(tenant, model, version);
        BiasReportRepository.Row row = transactions.inTenant(tenant, () -> repository.find(tenant, id))
                .filter(r -> r.model().equals(model) && r.version() == version)
                .orElseThrow(() -> new CitadelException(ErrorCode.BIAS_REPORT_NOT_FOUND, "No such bias report."));
        return view(tenant, row);
    }

    /** A model version's reports, newest first. */
    public List<BiasReportView> list(TenantId tenant, String model, int version, int limit) {
        models.describe(tenant, model, version);
        return transactions.inTenant(tenant, () -> repository.list(tenant, model, version, Math.max(1, Math.min(limit, 500))))
                .stream().map(row -> view(tenant, row)).toList();
    }

    /** Validates a request against the model version and the evaluation data; every problem of a kind at once. */
    private BiasPlan plan(TenantId tenant, String model, int version, BiasReportRequest request) {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (request.attribute() == null || request.attribute().isBlank()) {
            problems.add(problem("attribute", "the column whose values are the groups"));
        }
        BiasReportRequest.DatasetRef ref = request.dataset();
        if (ref != null && (!ResourceNames.isValid(ref.name()) || ref.version() == null || ref.version() < 1)) {
            problems.add(problem("dataset", "{\"name\", \"version\"} of one of the tenant's dataset versions, or leave "
                    + "it out for the rows the training job held out"));
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        Models.VersionView described = models.describe(tenant, model, version);
        InputSchema schema = described.inputSchema();
        if (!"classification".equals(described.task()) || schema == null || schema.target() == null
                || schema.target().labels() == null || schema.target().labels().size() < 2) {
            throw new CitadelException(ErrorCode.BIAS_NOT_CLASSIFICATION, "Model " + model + " version " + version
                    + " is a " + (described.task() == null ? "model without a declared task" : described.task() + " model")
                    + "; bias reports compare how often a classifier predicts a label for each group.");
        }
        List<String> labels = schema.target().labels();
        String positive = positiveLabel(request, described, labels, problems);
        Source source = source(tenant, described, ref, problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        Datasets.VersionView data = source.data();
        ColumnSchema column = attribute(tenant, data, request.attribute());
        String privileged = request.privilegedGroup() == null ? null
                : OfflineTraining.category(request.privilegedGroup(), column.type());
        if (request.privilegedGroup() != null && (privileged == null || column.topValues() != null
                && column.distinct() != null && column.topValues().size() == column.distinct()
                && column.topValues().stream().noneMatch(v -> privileged.equals(OfflineTraining.category(v.value(),
                        column.type()))))) {
            throw invalid(List.of(problem("privilegedGroup", "not a value of " + clip(column.name())
                    + " in dataset " + data.dataset() + " version " + data.version())));
        }
        Map<?, ?> split = source.heldOut() ? (Map<?, ?>) described.lineage().get("split") : Map.of();
        return new BiasPlan(model, version, column.name(), column.type(), positive, privileged, data.dataset(),
                data.version(), data.sha256(), source.heldOut(), number(split.get("testFraction")),
                split.get("seed") instanceof Number seed ? seed.longValue() : null,
                split.get("testRows") instanceof Number rows ? rows.intValue() : null);
    }

    /** The label counted as the favourable outcome: as asked, or a binary model's positive label. */
    private static String positiveLabel(BiasReportRequest request, Models.VersionView described, List<String> labels,
            List<CitadelException.FieldProblem> problems) {
        if (request.positiveLabel() != null) {
            if (!labels.contains(request.positiveLabel())) {
                problems.add(problem("positiveLabel", "one of the model's labels " + clipAll(labels)));
            }
            return request.positiveLabel();
        }
        if (labels.size() > 2) {
            problems.add(problem("positiveLabel", "required for a model with more than two labels: one of "
                    + clipAll(labels)));
            return null;
        }
        Object recorded = described.metrics() == null ? null : described.metrics().get("positiveLabel");
        return recorded instanceof String label && labels.contains(label) ? label : OfflineTraining.positiveLabel(labels);
    }

    /** Where the evaluation rows come from. */
    private record Source(Datasets.VersionView data, boolean heldOut) {}

    private Source source(TenantId tenant, Models.VersionView described, BiasReportRequest.DatasetRef ref,
            List<CitadelException.FieldProblem> problems) {
        if (ref != null) {
            Datasets.VersionView data = datasets.version(tenant, ref.name(), ref.version());
            InputSchema schema = described.inputSchema();
            List<String> needed = new ArrayList<>();
            schema.features().forEach(f -> needed.add(f.name()));
            needed.add(schema.target().name());
            for (String name : needed) {
                if (data.schema().stream().noneMatch(c -> c.name().equals(name))) {
                    problems.add(problem("dataset", "dataset " + ref.name() + " version " + ref.version()
                            + " has no column " + clip(name) + ", which the model takes or predicts"));
                }
            }
            return new Source(data, false);
        }
        Map<?, ?> lineage = described.lineage();
        if (lineage == null || !(lineage.get("dataset") instanceof Map<?, ?> dataset)
                || !(lineage.get("split") instanceof Map<?, ?> split) || !(split.get("seed") instanceof Number)
                || !(split.get("testFraction") instanceof Number) || !(dataset.get("name") instanceof String name)
                || !(dataset.get("version") instanceof Number number)) {
            problems.add(problem("dataset", "required: model " + described.model() + " version " + described.version()
                    + " has no training split in its lineage (it was imported); name a dataset version to evaluate on"));
            return null;
        }
        Datasets.VersionView data;
        try {
            data = datasets.version(tenant, name, number.intValue());
        } catch (CitadelException e) {
            if (e.code() != ErrorCode.DATASET_NOT_FOUND && e.code() != ErrorCode.DATASET_VERSION_NOT_FOUND) {
                throw e;
            }
            throw new CitadelException(ErrorCode.BIAS_DATASET_UNAVAILABLE, "The model was trained on dataset " + name
                    + " version " + number.intValue() + ", which no longer exists; name another dataset version.");
        }
        if (!data.sha256().equals(dataset.get("sha256"))) {
            throw new CitadelException(ErrorCode.BIAS_DATASET_UNAVAILABLE, "Dataset " + name + " version "
                    + number.intValue() + " no longer has the digest recorded in the model's lineage, so its held-out "
                    + "rows cannot be reproduced; name a dataset version to evaluate on.");
        }
        return new Source(data, true);
    }

    /**
     * The attribute's column, if its values can be groups: not tokens, masked or redacted values, not
     * an identifier kept in clear (each stands for one person), at most {@code maxGroups} values.
     */
    private ColumnSchema attribute(TenantId tenant, Datasets.VersionView data, String attribute) {
        String name = attribute.strip();
        Optional<Finding> finding = data.findings().stream().filter(f -> f.column().equals(name)).findFirst();
        String policy = datasets.get(tenant, data.dataset()).privacyPolicy().get(name);
        ColumnSchema column = data.schema().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        String where = "dataset " + data.dataset() + " version " + data.version();
        if (column == null) {
            if (finding.map(f -> f.action().equals("drop")).orElse(false) || "drop".equals(policy)) {
                throw new CitadelException(ErrorCode.BIAS_ATTRIBUTE_PROTECTED, "Column " + clip(name)
                        + " was dropped by the privacy policy when " + where + " was stored; there is nothing to group by.");
            }
            throw new CitadelException(ErrorCode.BIAS_ATTRIBUTE_UNKNOWN, "The evaluation data (" + where
                    + ") has no column " + clip(name) + ".");
        }
        if (finding.isPresent() && NOT_GROUPS.contains(finding.get().action())) {
            throw protectedColumn(name, finding.get().kind() + " values, stored with action " + finding.get().action());
        }
        if ("tokenize".equals(policy) || "mask".equals(policy)
                || column.topValues() != null && column.topValues().stream().anyMatch(v -> v.value().startsWith(TOKEN_PREFIX))) {
            throw protectedColumn(name, "values " + (policy == null ? "stored as tokens" : "stored with action " + policy));
        }
        if (column.distinct() == null || column.distinct() > properties.maxGroups()) {
            throw new CitadelException(ErrorCode.BIAS_TOO_MANY_GROUPS, "Column " + clip(name) + " has "
                    + (column.distinct() == null ? "more than 1,000" : column.distinct()) + " distinct values in " + where
                    + "; a bias report takes at most " + properties.maxGroups() + " groups. Choose a column of categories, "
                    + "or one whose numbers or dates were generalised into ranges.");
        }
        return column;
    }

    private static CitadelException protectedColumn(String name, String why) {
        return new CitadelException(ErrorCode.BIAS_ATTRIBUTE_PROTECTED, "Column " + clip(name) + " holds " + why
                + ": each value stands for one person, not a group, so it cannot be a bias report's attribute. A "
                + "protected attribute kept for fairness evaluation is stored as categories (or generalised into ranges).");
    }

    private BiasReportView view(TenantId tenant, BiasReportRepository.Row row) {
        BiasPlan plan = JSON.readValue(row.plan(), BiasPlan.class);
        BiasReportView.Evaluation evaluation = new BiasReportView.Evaluation(plan.dataset(), plan.datasetVersion(),
                plan.sha256(), plan.rows(), plan.testFraction(), plan.seed());
        BiasReport report = row.report() == null ? null : JSON.readValue(row.report(), BiasReport.class);
        String state = row.state();
        String phase = row.state();
        int percent = 100;
        String error = row.error();
        if (BiasReportRepository.PENDING.equals(state)) {
            // still running, or its job ended without reaching the report (a worker that gave up)
            Optional<JobView> job = jobs.find(tenant, row.id());
            state = job.map(JobView::state).orElse("queued");
            phase = job.map(JobView::phase).orElse("queued");
            percent = job.map(JobView::percent).orElse(0);
            error = job.map(JobView::error).orElse(null);
        }
        return new BiasReportView(row.id(), row.model(), row.version(), plan.attribute(), plan.positiveLabel(),
                plan.privilegedGroup(), evaluation, state, phase, percent, row.flagged(),
                report == null ? null : report.rows(), report == null ? null : report.groups(),
                report == null ? null : report.summary(), report == null ? null : report.thresholds(),
                report == null ? null : report.findings(), error, row.createdBy(), row.createdAt(), row.finishedAt());
    }

    private static Double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : null;
    }

    private static CitadelException invalid(List<CitadelException.FieldProblem> problems) {
        return new CitadelException(ErrorCode.BIAS_INVALID, "The bias report request is invalid.", problems, null);
    }

    private static CitadelException.FieldProblem problem(String field, String message) {
        return new CitadelException.FieldProblem(field, message);
    }

    private static String clipAll(List<String> labels) {
        return labels.stream().limit(20).map(BiasReports::clip).toList().toString();
    }

    static String clip(String value) {
        if (value == null) {
            return "(null)";
        }
        String safe = value.replaceAll("\\p{Cntrl}", "?");
        return safe.length() > 80 ? safe.substring(0, 77) + "..." : safe;
    }
}
