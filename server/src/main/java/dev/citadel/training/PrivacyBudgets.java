package dev.citadel.training;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.datasets.Datasets;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;

/**
 * The privacy budget ledger: each dataset has an ε budget (set by a data steward, else the
 * configured default) that applies to each of its versions, and every differentially private
 * training job charges its target ε to its dataset version when it is submitted. Charges compose
 * by basic composition: the ε spent on a version is the sum of its charges (and the δ spent the
 * sum of theirs), and a job whose ε would take the sum over the budget is refused before it runs.
 *
 * <p>Security guarantees: the check and the charge happen in the submitting transaction under a
 * row lock on the dataset's budget row, so concurrent jobs cannot both pass on the same remaining
 * budget; a charge is never refunded (a failed or cancelled job may have trained already); every
 * charge, refusal and budget change is audited. Versions are charged separately: versions that
 * share individuals are not composed with each other (docs/privacy.md).
 */
@Service
public class PrivacyBudgets {

    static final double MAX_BUDGET = 1000;

    private final JdbcClient jdbc;
    private final Datasets datasets;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final TrainingProperties properties;

    PrivacyBudgets(JdbcClient jdbc, Datasets datasets, AuditLog audit, TenantTransactions transactions, Clock clock,
            TrainingProperties properties) {
        this.jdbc = jdbc;
        this.datasets = datasets;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * One charge: a DP training job's ({@code kind} training; {@code job} is the job) or a DP
     * profile's ({@code kind} profile; {@code job} is the profile's id, no model).
     */
    public record Charge(UUID job, String kind, String model, double epsilon, double delta, String chargedBy,
            Instant chargedAt) {}

    /** A dataset version's ledger: its budget, the sums spent, what remains, every charge. */
    public record Ledger(String dataset, int version, double budget, boolean defaultBudget, boolean sensitive,
            double spentEpsilon, double spentDelta, double remainingEpsilon, String composition, List<Charge> charges) {}

    /** A dataset's privacy settings as set: its ε budget and whether it is flagged sensitive. */
    public record Budget(String dataset, double budget, boolean defaultBudget, boolean sensitive) {}

    private record Settings(Double budget, boolean sensitive) {}

    public Ledger ledger(TenantId tenant, String dataset, int version) {
        datasets.version(tenant, dataset, version);
        return transactions.inTenant(tenant, () -> {
            Settings own = settings(tenant, dataset);
            List<Charge> charges = jdbc.sql("""
                    select job_id, kind, model, epsilon, delta, charged_by, charged_at from privacy_charges
                    where tenant_id = ? and dataset = ? and dataset_version = ? order by charged_at, job_id""")
                    .params(tenant.value(), dataset, version)
                    .query((rs, n) -> new Charge(rs.getObject("job_id", UUID.class), rs.getString("kind"),
                            rs.getString("model"), rs.getDouble("epsilon"), rs.getDouble("delta"),
                            rs.getString("charged_by"), rs.getObject("charged_at", OffsetDateTime.class).toInstant()))
                    .list();
            double budget = own.budget() == null ? properties.defaultBudget() : own.budget();
            double spent = charges.stream().mapToDouble(Charge::epsilon).sum();
            double delta = charges.stream().mapToDouble(Charge::delta).sum();
            return new Ledger(dataset, version, budget, own.budget() == null, own.sensitive(), spent, delta,
                    Math.max(0, budget - spent), "basic", charges);
        });
    }

    /**
     * Sets a dataset's ε budget and its sensitive flag (a data steward's decision); a null leaves
     * that setting as it was. Lowering the budget below what is spent refuses further charges.
     */
    public Budget setBudget(TenantId tenant, String dataset, Double budget, Boolean sensitive) {
        if (budget == null && sensitive == null) {
            throw new CitadelException(ErrorCode.PRIVACY_BUDGET_INVALID, "Give the budget, sensitive, or both.",
                    List.of(new CitadelException.FieldProblem("budget", "a number from 0 to " + (int) MAX_BUDGET)), null);
        }
        if (budget != null && !(budget >= 0 && budget <= MAX_BUDGET)) {
            throw new CitadelException(ErrorCode.PRIVACY_BUDGET_INVALID, "The budget must be a number from 0 to "
                    + (int) MAX_BUDGET + ".", List.of(new CitadelException.FieldProblem("budget",
                            "a number from 0 to " + (int) MAX_BUDGET)), null);
        }
        datasets.get(tenant, dataset);
        String actor = Principals.currentActor();
        return transactions.inTenant(tenant, () -> {
            lock(tenant, dataset);
            Settings previous = settings(tenant, dataset);
            if (budget != null) {
                jdbc.sql("update privacy_budgets set budget = ?, updated_at = ?, updated_by = ? where tenant_id = ? and dataset = ?")
                        .params(budget, at(clock.instant()), actor, tenant.value(), dataset).update();
                audit.append(AuditEvent.of(tenant, "privacy.budget.set", "dataset", dataset, AuditOutcome.SUCCESS,
                        new TreeMap<>(Map.of("budget", Double.toString(budget), "previous",
                                previous.budget() == null ? "default" : Double.toString(previous.budget())))));
            }
            if (sensitive != null) {
                jdbc.sql("update privacy_budgets set sensitive = ?, updated_at = ?, updated_by = ? where tenant_id = ? and dataset = ?")
                        .params(sensitive, at(clock.instant()), actor, tenant.value(), dataset).update();
                audit.append(AuditEvent.of(tenant, "privacy.sensitive.set", "dataset", dataset, AuditOutcome.SUCCESS,
                        new TreeMap<>(Map.of("sensitive", sensitive.toString(), "previous",
                                Boolean.toString(previous.sensitive())))));
            }
            Settings now = settings(tenant, dataset);
            return new Budget(dataset, now.budget() == null ? properties.defaultBudget() : now.budget(),
                    now.budget() == null, now.sensitive());
        });
    }

    /** Whether a data steward flagged the dataset sensitive (false until one does). */
    public boolean sensitive(TenantId tenant, String dataset) {
        return transactions.inTenant(tenant, () -> settings(tenant, dataset).sensitive());
    }

    /**
     * Charges {@code epsilon} to a dataset version inside the caller's tenant transaction, or
     * throws {@code privacy.budget_exhausted} (the caller's transaction then rolls back).
     */
    void charge(TenantId tenant, String dataset, int version, UUID job, String model, double epsilon, double delta,
            String actor) {
        charge(tenant, dataset, version, job, "training", model, epsilon, delta, actor);
    }

    /** As {@link #charge(TenantId, String, int, UUID, String, double, double, String)}, for a charge of any kind. */
    void charge(TenantId tenant, String dataset, int version, UUID job, String kind, String model, double epsilon,
            double delta, String actor) {
        Double own = lock(tenant, dataset);
        double budget = own == null ? properties.defaultBudget() : own;
        double spent = jdbc.sql("""
                select coalesce(sum(epsilon), 0) from privacy_charges
                where tenant_id = ? and dataset = ? and dataset_version = ?""")
                .params(tenant.value(), dataset, version).query(Double.class).single();
        Map<String, String> details = new TreeMap<>(Map.of("dataset", dataset + "/v" + version,
                kind.equals("training") ? "job" : kind, job.toString(),
                "epsilon", Double.toString(epsilon), "delta", Double.toString(delta), "spent", Double.toString(spent),
                "budget", Double.toString(budget)));
        if (spent + epsilon > budget) {
            // audited by refused(), after the caller's transaction has rolled back and released its locks
            throw new CitadelException(ErrorCode.PRIVACY_BUDGET_EXHAUSTED, "Dataset " + dataset + " version " + version
                    + " has " + format(Math.max(0, budget - spent)) + " of its privacy budget of " + format(budget)
                    + " left; this " + (kind.equals("training") ? "job" : kind) + " asks for epsilon " + format(epsilon)
                    + ".");
        }
        jdbc.sql("""
                insert into privacy_charges (tenant_id, job_id, kind, dataset, dataset_version, epsilon, delta, model,
                    charged_at, charged_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(tenant.value(), job, kind, dataset, version, epsilon, delta, model, at(clock.instant()), actor)
                .update();
        audit.append(AuditEvent.of(tenant, "privacy.budget.charge", "dataset", dataset, AuditOutcome.SUCCESS, details));
    }

    /** Audits a refused charge, in its own transaction (the submitting one has rolled back). */
    void refused(TenantId tenant, String dataset, int version, double epsilon) {
        refused(tenant, dataset, version, "training", epsilon);
    }

    void refused(TenantId tenant, String dataset, int version, String kind, double epsilon) {
        transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant, "privacy.budget.charge",
                "dataset", dataset, AuditOutcome.DENIED, new TreeMap<>(Map.of("dataset", dataset + "/v" + version,
                        "kind", kind, "epsilon", Double.toString(epsilon), "reason", "budget_exhausted")))));
    }

    /** Locks the dataset's budget row, creating it (default budget) first; returns its own budget or null. */
    private Double lock(TenantId tenant, String dataset) {
        String select = "select budget from privacy_budgets where tenant_id = ? and dataset = ? for update";
        List<Double> rows = jdbc.sql(select).params(tenant.value(), dataset)
                .query((rs, n) -> (Double) rs.getObject("budget", Double.class)).list();
        if (rows.isEmpty()) {
            jdbc.sql("insert into privacy_budgets (tenant_id, dataset) values (?, ?) on conflict do nothing")
                    .params(tenant.value(), dataset).update();
            rows = jdbc.sql(select).params(tenant.value(), dataset)
                    .query((rs, n) -> (Double) rs.getObject("budget", Double.class)).list();
        }
        return rows.getFirst();
    }

    private Settings settings(TenantId tenant, String dataset) {
        return jdbc.sql("select budget, sensitive from privacy_budgets where tenant_id = ? and dataset = ?")
                .params(tenant.value(), dataset)
                .query((rs, n) -> new Settings((Double) rs.getObject("budget", Double.class), rs.getBoolean("sensitive")))
                .optional().orElse(new Settings(null, false));
    }

    private static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.4g", value);
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
