package dev.citadel.monitoring.bias;

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.datasets.Datasets;
import dev.citadel.deployments.runtime.EvaluationModel;
import dev.citadel.monitoring.alerts.Alert;
import dev.citadel.monitoring.alerts.Alerts;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.jobs.JobContext;
import dev.citadel.platform.jobs.JobHandler;
import dev.citadel.registry.Models;
import dev.citadel.training.OfflineTraining;

/**
 * Computes a bias report: loads the verified model version, finds the evaluation rows (reproducing
 * the training job's held-out split, or every row of another version), scores them, counts them per
 * group, stores the report and raises a {@code bias} alert when a threshold is crossed. Safe to run
 * again after a crash: the same plan gives the same report (an alert may then be raised twice, never
 * lost).
 */
@Component
class BiasReportJob implements JobHandler {

    private final Models models;
    private final Datasets datasets;
    private final BiasReportRepository repository;
    private final Alerts alerts;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final BiasProperties properties;

    BiasReportJob(Models models, Datasets datasets, BiasReportRepository repository, Alerts alerts, AuditLog audit,
            TenantTransactions transactions, Clock clock, BiasProperties properties) {
        this.models = models;
        this.datasets = datasets;
        this.repository = repository;
        this.alerts = alerts;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public String kind() {
        return BiasReports.KIND;
    }

    @Override
    public Map<String, String> run(JobContext context) throws Exception {
        TenantId tenant = context.tenant();
        UUID id = context.jobId();
        BiasPlan plan = BiasReports.JSON.readValue(context.params().get("plan"), BiasPlan.class);
        String startedBy = context.params().getOrDefault("startedBy", "system");
        BiasReport report;
        try {
            report = compute(context, plan);
        } catch (IOException | RuntimeException e) {
            String error = e instanceof CitadelException citadel ? citadel.detail()
                    : "The report failed with an internal error (see the server log for job " + id + ").";
            transactions.inTenant(tenant, () -> {
                repository.fail(tenant, id, error, clock.instant());
                audit.append(new AuditEvent(tenant, startedBy, "monitoring.bias_report.complete", "bias-report",
                        id.toString(), AuditOutcome.FAILURE, new TreeMap<>(Map.of("code", e instanceof CitadelException c
                                ? c.code().code() : ErrorCode.INTERNAL_ERROR.code()))));
            });
            throw e;
        }
        context.progress("storing the report", 98);
        boolean flagged = report.summary().flagged();
        if (flagged) {
            alerts.raise(alert(tenant, id, plan, report));
        }
        transactions.inTenant(tenant, () -> {
            repository.succeed(tenant, id, flagged, BiasReports.JSON.writeValueAsString(report), clock.instant());
            Map<String, String> details = new TreeMap<>();
            details.put("model", plan.model());
            details.put("version", Integer.toString(plan.version()));
            details.put("rows", Long.toString(report.rows().evaluated()));
            details.put("groups", Integer.toString(report.groups().size()));
            details.put("flagged", Boolean.toString(flagged));
            audit.append(new AuditEvent(tenant, startedBy, "monitoring.bias_report.complete", "bias-report",
                    id.toString(), AuditOutcome.SUCCESS, new TreeMap<>(details)));
        });
        return Map.of("report", id.toString(), "flagged", Boolean.toString(flagged));
    }

    private BiasReport compute(JobContext context, BiasPlan plan) throws IOException {
        TenantId tenant = context.tenant();
        context.progress("verifying the model", 1);
        Models.VerifiedModel verified = models.load(tenant, plan.model(), plan.version());
        long expected = Math.max(1, datasets.version(tenant, plan.dataset(), plan.datasetVersion()).rows());
        boolean[] selected = null;
        long withoutTarget = 0;
        if (plan.heldOut()) {
            context.progress("finding the held-out rows", 2);
            boolean[] hasTarget = EvaluationRows.targets(datasets.content(tenant, plan.dataset(), plan.datasetVersion()),
                    verified.manifest().inputSchema().target().name(),
                    rows -> context.progress("finding the held-out rows", (int) (2 + 28 * Math.min(1.0, rows / (double) expected))));
            selected = OfflineTraining.heldOut(hasTarget, plan.testFraction(), plan.seed());
            int held = 0;
            for (int row = 0; row < hasTarget.length; row++) {
                held += selected[row] ? 1 : 0;
                withoutTarget += hasTarget[row] ? 0 : 1;
            }
            if (plan.testRows() != null && held != plan.testRows()) {
                throw new CitadelException(ErrorCode.BIAS_FAILED, "The held-out split reproduced " + held
                        + " rows but the training job held out " + plan.testRows() + "; the rows cannot be trusted to be "
                        + "the ones the model never saw.");
            }
        }
        int from = plan.heldOut() ? 30 : 2;
        EvaluationRows.Counted counted;
        try (EvaluationModel model = EvaluationModel.open(verified)) {
            context.progress("scoring", from);
            counted = EvaluationRows.score(datasets.content(tenant, plan.dataset(), plan.datasetVersion()), model, plan,
                    selected, properties.maxGroups(),
                    rows -> context.progress("scoring", (int) (from + (95 - from) * Math.min(1.0, rows / (double) expected))));
        } catch (IllegalArgumentException e) {
            throw new CitadelException(ErrorCode.BIAS_FAILED, "The model cannot be fed rows: " + e.getMessage() + ".");
        }
        long evaluated = counted.groups().values().stream().mapToLong(t -> t.n).sum();
        BiasReport.Rows rows = new BiasReport.Rows(evaluated, counted.withoutAttribute(),
                plan.heldOut() ? withoutTarget : counted.withoutTarget(), counted.notScorable());
        return BiasMetrics.compute(counted.groups(), plan.privilegedGroup(), properties.thresholds(), rows);
    }

    /**
     * The alert: identifiers and figures only. Group values are left out — an alert travels to the
     * audit trail and to webhooks, outside the roles that may read the report — so it says which
     * report to open, not which group fared worse.
     */
    private static Alert alert(TenantId tenant, UUID id, BiasPlan plan, BiasReport report) {
        BiasReport.Summary summary = report.summary();
        Map<String, String> details = new TreeMap<>();
        details.put("report", id.toString());
        details.put("model", plan.model());
        details.put("version", Integer.toString(plan.version()));
        details.put("attribute", BiasReports.clip(plan.attribute()));
        details.put("groupsCompared", Integer.toString(summary.groupsCompared()));
        details.put("findings", String.join(",", report.findings()));
        if (summary.disparateImpactRatio() != null) {
            details.put("disparateImpactRatio", figure(summary.disparateImpactRatio()));
        }
        details.put("demographicParityDifference", figure(summary.demographicParityDifference()));
        details.put("disparateImpactThreshold", figure(report.thresholds().disparateImpact()));
        details.put("parityDifferenceThreshold", figure(report.thresholds().parityDifference()));
        String what = report.findings().contains(BiasReport.DISPARATE_IMPACT)
                ? "disparate impact " + figure(summary.disparateImpactRatio()) + " is below "
                        + figure(report.thresholds().disparateImpact())
                : "demographic parity difference " + figure(summary.demographicParityDifference()) + " is above "
                        + figure(report.thresholds().parityDifference());
        return new Alert(tenant, "bias", "warning", "Model " + plan.model() + " version " + plan.version() + ": " + what
                + " across the groups of " + BiasReports.clip(plan.attribute()) + " (bias report " + id + ").",
                new TreeMap<>(details));
    }

    private static String figure(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
