package dev.citadel.monitoring.drift;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Service;

import dev.citadel.deployments.Deployments;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/** A deployment's drift as its readers see it: the reference, the latest window's figures and the history. */
@Service
public class DriftReports {

    private final Deployments deployments;
    private final DriftReferences references;
    private final DriftRepository repository;
    private final TenantTransactions transactions;
    private final DriftProperties properties;

    DriftReports(Deployments deployments, DriftReferences references, DriftRepository repository,
            TenantTransactions transactions, DriftProperties properties) {
        this.deployments = deployments;
        this.references = references;
        this.repository = repository;
        this.transactions = transactions;
        this.properties = properties;
    }

    /**
     * The drift report.
     *
     * @param version         the model version the deployment serves now (history may name earlier ones)
     * @param reference       the current version's reference distribution, or null (see referenceStatus)
     * @param referenceStatus {@code ready}, {@code pending} (being computed) or {@code unavailable}
     * @param note            why there is no reference, when there is none
     * @param latest          the newest closed window, or null
     * @param history         closed windows, newest first (the first is {@code latest})
     */
    public record DriftReport(String deployment, String model, int version, DriftReferenceView reference,
            String referenceStatus, String note, DriftSettings settings, DriftWindow latest, List<DriftWindow> history) {}

    /** Where the reference comes from and each monitored feature's bins and reference proportions. */
    public record DriftReferenceView(String dataset, int version, long rows, Instant computedAt,
            List<DriftReferenceFeature> features, List<String> skipped) {}

    public record DriftReferenceFeature(String name, String kind, List<String> bins, List<Double> proportions) {}

    /** The thresholds and window rules the figures were judged by. */
    public record DriftSettings(double psiThreshold, double ksPValue, int windowInstances, String windowDuration,
            int minInstances) {}

    public DriftReport report(TenantId tenant, String deployment, int limit) {
        Deployments.DeploymentView view = deployments.get(tenant, deployment);
        DriftReferences.State state = references.state(tenant, view.model(), view.version());
        DriftReferenceView reference = null;
        String status;
        String note = null;
        switch (state) {
            case DriftReferences.Ready ready -> {
                status = "ready";
                reference = view(ready);
            }
            case DriftReferences.Unavailable unavailable -> {
                status = "unavailable";
                note = unavailable.reason();
            }
            case DriftReferences.Pending pending -> {
                status = "pending";
                note = "The reference distribution is being computed from the training data.";
            }
        }
        List<DriftWindow> history = transactions.inTenant(tenant, () -> repository.windows(tenant, view.name(), limit));
        return new DriftReport(view.name(), view.model(), view.version(), reference, status, note,
                new DriftSettings(properties.psiThreshold(), properties.ksPValue(), properties.windowInstances(),
                        properties.windowDuration().toString(), properties.minInstances()),
                history.isEmpty() ? null : history.get(0), history);
    }

    private static DriftReferenceView view(DriftReferences.Ready ready) {
        Reference reference = ready.monitored().reference();
        return new DriftReferenceView(reference.dataset(), reference.datasetVersion(), reference.rows(), ready.computedAt(),
                reference.features().stream().map(f -> new DriftReferenceFeature(f.name(), f.kind(), f.bins(),
                        f.proportions())).toList(), reference.skipped());
    }
}
