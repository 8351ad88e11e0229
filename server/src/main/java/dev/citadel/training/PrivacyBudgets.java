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

    /** One DP job's charge. */
    public record Charge(UUID job, String model, double epsilon, double delta, String chargedBy, Instant chargedAt) {}

    /** A dataset version's ledger: its budget, the sums spent, what remains, every charge. */
    public record Ledger(String dataset, int version, double budget, boolean defaultBudget, double spentEpsilon,
            double spentDelta, double remainingEpsilon, String composition, List<Charge> charges) {}

    /** A dataset's budget as set. */
    public record Budget(String dataset, double budget, boolean defaultBudget) {}

    public Ledger ledger(TenantId tenant, String dataset, int version) {
        datasets.version(tenant, dataset, version);
        return transactions.inTenant(tenant, () -> {
            Double own = ownBudget(tenant, dataset);
            List<Charge> charges = jdbc.sql("""
                    select job_id, model, epsilon, delta, charged_by, charged_at from privacy_charges
                    where tenant_id = ? and dataset = ? and dataset_version = ? order by charged_at, job_id""")
                    .params(tenant.value(), dataset, version)
                    .query((rs, n) -> new Charge(rs.getObject("job_id", UUID.class), rs.getString("model"),
                            rs.getDouble("epsilon"), rs.getDouble("delta"), rs.getString("charged_by"),
                            rs.getObject("charged_at", OffsetDateTime.class).toInstant()))
                    .list();
            double budget = own == null ? properties.defaultBudget() : own;
            double spent = charges.stream().mapToDouble(Charge::epsilon).sum();
            double delta = charges.stream().mapToDouble(Charge::delta).sum();
            return new Ledger(dataset, version, budget, own == null, spent, delta, Math.max(0, budget - spent),
                    "basic", charges);
        });
    }

    /** Sets a dataset's ε budget (a data steward's decision); lowering it below what is spent refuses further jobs. */
    public Budget setBudget(TenantId tenant, String dataset, Double budget) {
        if (budget == null || !(budget >= 0 && budget <= MAX_BUDGET)) {
            throw new CitadelException(ErrorCode.PRIVACY_BUDGET_INVALID, "The budget must be a number from 0 to "
                    + (int) MAX_BUDGET + ".", List.of(new CitadelException.FieldProblem("budget",
                            "a number from 0 to " + (int) MAX_BUDGET)), null);
        }
        datasets.get(tenant, dataset);
        String actor = Principals.currentActor();
        transactions.inTenant(tenant, () -> {
            Double previous = lock(tenant, dataset);
            jdbc.sql("update privacy_budgets set budget = ?, updated_at = ?, updated_by = ? where tenant_id = ? and dataset = ?")
                    .params(budget, at(clock.instant()), actor, tenant.value(), dataset).update();
            audit.append(AuditEvent.of(tenant, "privacy.budget.set", "dataset", dataset, AuditOutcome.SUCCESS,
                    new TreeMap<>(Map.of("budget", Double.toString(budget), "previous",
                            previous == null ? "default" : Double.toString(previous)))));
        });
        return new Budget(dataset, budget, false);
    }

    /**
     * Charges {@code epsilon} to a dataset version inside the caller's tenant transaction, or
     * throws {@code privacy.budget_exhausted} (the caller's transaction then rolls back).
     */
    void charge(TenantId tenant, String dataset, int version, UUID job, String model, double epsilon, double delta,
            String actor) {
        Double own = lock(tenant, dataset);
        double budget = own == null ? properties.defaultBudget() : own;
        double spent = jdbc.sql("""
                select coalesce(sum(epsilon), 0) from privacy_charges
                where tenant_id = ? and dataset = ? and dataset_version = ?""")
                .params(tenant.value(), dataset, version).query(Double.class).single();
        Map<String, String> details = new TreeMap<>(Map.of("dataset", dataset + "/v" + version, "job", job.toString(),
                "epsilon", Double.toString(epsilon), "delta", Double.toString(delta), "spent", Double.toString(spent),
                "budget", Double.toString(budget)));
        if (spent + epsilon > budget) {
            // audited by refused(), after the caller's transaction has rolled back and released its locks
            throw new CitadelException(ErrorCode.PRIVACY_BUDGET_EXHAUSTED, "Dataset " + dataset + " version " + version
                    + " has " + format(Math.max(0, budget - spent)) + " of its privacy budget of " + format(budget)
                    + " left; this job asks for epsilon " + format(epsilon) + ".");
        }
        jdbc.sql("""
                insert into privacy_charges (tenant_id, job_id, dataset, dataset_version, epsilon, delta, model,
                    charged_at, charged_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(tenant.value(), job, dataset, version, epsilon, delta, model, at(clock.instant()), actor).update();
        audit.append(AuditEvent.of(tenant, "privacy.budget.charge", "dataset", dataset, AuditOutcome.SUCCESS, details));
    }

    /** Audits a refused charge, in its own transaction (the submitting one has rolled back). */
    void refused(TenantId tenant, String dataset, int version, double epsilon) {
        transactions.inNewTenantTransaction(tenant, () -> audit.append(AuditEvent.of(tenant, "privacy.budget.charge",
                "dataset", dataset, AuditOutcome.DENIED, new TreeMap<>(Map.of("dataset", dataset + "/v" + version,
                        "epsilon", Double.toString(epsilon), "reason", "budget_exhausted")))));
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

    private Double ownBudget(TenantId tenant, String dataset) {
        return jdbc.sql("select budget from privacy_budgets where tenant_id = ? and dataset = ?")
                .params(tenant.value(), dataset).query((rs, n) -> (Double) rs.getObject("budget", Double.class))
                .optional().orElse(null);
    }

    private static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.4g", value);
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
