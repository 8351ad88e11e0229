package dev.citadel.compliance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.compliance.retention.RetentionRepository;
import dev.citadel.datasets.Datasets;
import dev.citadel.platform.ResourceNames;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.tenancy.Tenants;

/**
 * Retention: each tenant may keep dataset versions for a number of days (per dataset if it likes);
 * a scheduled run on every replica erases what is older, audited, and a dry-run report shows what
 * the next run would erase. Erasing a version twice is harmless, so replicas need not coordinate.
 */
@Service
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int MAX_DAYS = 36_500;

    private final RetentionRepository repository;
    private final Datasets datasets;
    private final Tenants tenants;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;

    Retention(RetentionRepository repository, Datasets datasets, Tenants tenants, AuditLog audit,
            TenantTransactions transactions, Clock clock) {
        this.repository = repository;
        this.datasets = datasets;
        this.tenants = tenants;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The settings as sent and shown: null days keep versions until they are erased. */
    public record Settings(Integer datasetVersionDays, Map<String, Integer> datasets, Integer auditYears,
            Instant lastRunAt, Integer lastRunDeleted) {}

    /** A version the next run erases. */
    public record Due(String dataset, int version, Instant createdAt, long ageDays, int limitDays) {}

    public record Report(String tenant, Instant at, boolean dryRun, List<Due> versions, int erased) {}

    public Settings settings(TenantId tenant) {
        return transactions.inTenant(tenant, () -> repository.find(tenant)).map(Retention::view)
                .orElse(new Settings(null, Map.of(), null, null, null));
    }

    public Settings put(TenantId tenant, Settings request) {
        List<CitadelException.FieldProblem> problems = new ArrayList<>();
        if (request.datasetVersionDays() != null && (request.datasetVersionDays() < 1 || request.datasetVersionDays() > MAX_DAYS)) {
            problems.add(new CitadelException.FieldProblem("datasetVersionDays", "1 to 36500 days, or null to keep versions"));
        }
        Map<String, Integer> overrides = request.datasets() == null ? Map.of() : request.datasets();
        if (overrides.size() > 100) {
            problems.add(new CitadelException.FieldProblem("datasets", "at most 100 datasets"));
        }
        overrides.forEach((name, days) -> {
            if (!ResourceNames.isValid(name) || days == null || days < 1 || days > MAX_DAYS) {
                problems.add(new CitadelException.FieldProblem("datasets", "dataset name → 1 to 36500 days"));
            }
        });
        if (request.auditYears() != null && (request.auditYears() < 1 || request.auditYears() > 100)) {
            problems.add(new CitadelException.FieldProblem("auditYears", "1 to 100 years"));
        }
        if (!problems.isEmpty()) {
            throw new CitadelException(ErrorCode.RETENTION_INVALID, "The retention settings are invalid.", problems, null);
        }
        transactions.inTenant(tenant, () -> {
            repository.save(tenant, new RetentionRepository.Settings(request.datasetVersionDays(), new TreeMap<>(overrides),
                    request.auditYears(), null, null), clock.instant(), Principals.currentActor());
            Map<String, String> details = new TreeMap<>();
            details.put("datasetVersionDays", String.valueOf(request.datasetVersionDays()));
            details.put("overrides", Integer.toString(overrides.size()));
            details.put("auditYears", String.valueOf(request.auditYears()));
            audit.append(AuditEvent.of(tenant, "retention.settings.put", "tenant", tenant.value(), AuditOutcome.SUCCESS,
                    details));
        });
        return settings(tenant);
    }

    /** What a run now would erase (nothing is changed). */
    public Report report(TenantId tenant) {
        return new Report(tenant.value(), clock.instant(), true, due(tenant), 0);
    }

    /** Erases every version past its retention now. */
    public Report run(TenantId tenant) {
        List<Due> due = due(tenant);
        int erased = 0;
        for (Due d : due) {
            if (datasets.eraseVersion(tenant, d.dataset(), d.version(), "retention: older than " + d.limitDays() + " days")
                    .isPresent()) {
                erased++;
            }
        }
        int count = erased;
        Instant now = clock.instant();
        transactions.inTenant(tenant, () -> {
            repository.recordRun(tenant, now, count);
            audit.append(AuditEvent.of(tenant, "retention.run", "tenant", tenant.value(), AuditOutcome.SUCCESS,
                    Map.of("erasedVersions", Integer.toString(count))));
        });
        return new Report(tenant.value(), now, false, due, erased);
    }

    /** Every tenant with settings, every few hours (citadel.compliance.retention-interval). */
    @Scheduled(fixedDelayString = "${citadel.compliance.retention-interval:6h}",
            initialDelayString = "${citadel.compliance.retention-interval:6h}")
    void scheduled() {
        for (int offset = 0;; offset += 100) {
            List<Tenants.TenantView> page = tenants.list(offset, 100);
            for (Tenants.TenantView t : page) {
                TenantId tenant = new TenantId(t.id());
                try {
                    if (transactions.inTenant(tenant, () -> repository.find(tenant)).isPresent()) {
                        run(tenant);
                    }
                } catch (RuntimeException e) {
                    log.error("retention run failed for tenant {}", t.id(), e);
                }
            }
            if (page.size() < 100) {
                return;
            }
        }
    }

    private List<Due> due(TenantId tenant) {
        Settings settings = settings(tenant);
        Instant now = clock.instant();
        List<Due> due = new ArrayList<>();
        for (Datasets.DatasetView dataset : datasets.list(tenant)) {
            Integer limit = settings.datasets().getOrDefault(dataset.name(), settings.datasetVersionDays());
            if (limit == null) {
                continue;
            }
            for (Datasets.VersionView version : datasets.versions(tenant, dataset.name())) {
                if (version.createdAt().plus(Duration.ofDays(limit)).isBefore(now)) {
                    due.add(new Due(dataset.name(), version.version(), version.createdAt(),
                            Duration.between(version.createdAt(), now).toDays(), limit));
                }
            }
        }
        return due;
    }

    private static Settings view(RetentionRepository.Settings s) {
        return new Settings(s.datasetVersionDays(), s.datasets(), s.auditYears(), s.lastRunAt(), s.lastRunDeleted());
    }
}
