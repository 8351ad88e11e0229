package dev.citadel.tenancy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.TenantId;
import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.tenancy.tenant.TenantRepository;

/** Tenants: created and listed by platform administrators; each has a region, a plan and quotas. */
@Service
public class Tenants {

    /** Plans a tenant can be on; the plan sets default quotas and, later, rate limits. */
    public static final Set<String> PLANS = Set.of("free", "standard", "enterprise");

    private final TenantRepository repository;
    private final dev.citadel.crypto.TenantKeys keys;
    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Clock clock;
    private final dev.citadel.storage.StorageRegions storageRegions;

    Tenants(TenantRepository repository, dev.citadel.crypto.TenantKeys keys, AuditLog audit,
            TenantTransactions transactions, Clock clock, dev.citadel.storage.StorageRegions storageRegions) {
        this.storageRegions = storageRegions;
        this.repository = repository;
        this.keys = keys;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Per-tenant limits. */
    public record Quotas(long storageBytes, int trainingConcurrency, long predictionsPerDay) {

        static Quotas forPlan(String plan) {
            return switch (plan) {
                case "free" -> new Quotas(1L << 30, 1, 10_000);
                case "enterprise" -> new Quotas(1L << 40, 8, 100_000_000);
                default -> new Quotas(100L << 30, 2, 1_000_000);
            };
        }
    }

    public record TenantView(String id, String name, String region, String plan, Quotas quotas, Instant createdAt,
            String createdBy) {}

    public record NewTenant(TenantId id, String name, String region, String plan, Quotas quotas) {}

    public TenantView create(NewTenant request) {
        if (!storageRegions.accepts(request.region())) {
            throw new CitadelException(ErrorCode.TENANT_REGION_UNAVAILABLE, "No object store is configured for region "
                    + request.region() + "; this installation keeps data in " + String.join(", ",
                    new java.util.TreeSet<>(storageRegions.names())) + ".",
                    java.util.List.of(new CitadelException.FieldProblem("region", "one of the regions with an object store")),
                    null);
        }
        String plan = request.plan() == null ? "standard" : request.plan();
        Quotas quotas = request.quotas() == null ? Quotas.forPlan(plan) : request.quotas();
        TenantView tenant = new TenantView(request.id().value(), request.name(), request.region(), plan, quotas,
                clock.instant(), Principals.currentActor());
        transactions.inPlatform(() -> {
            if (repository.exists(request.id())) {
                throw alreadyExists();
            }
            try {
                repository.insert(tenant);
            } catch (DuplicateKeyException raced) {
                throw alreadyExists();
            }
            audit.append(AuditEvent.of(TenantId.PLATFORM, "tenant.create", "tenant", tenant.id(), AuditOutcome.SUCCESS,
                    Map.of("region", tenant.region(), "plan", plan)));
        });
        transactions.inTenant(request.id(), () -> {
            audit.append(AuditEvent.of(request.id(), "tenant.create", "tenant", tenant.id(), AuditOutcome.SUCCESS,
                    Map.of("region", tenant.region(), "plan", plan)));
            keys.provision(request.id());
        });
        return tenant;
    }

    public Optional<TenantView> find(TenantId id) {
        return transactions.inPlatform(() -> repository.find(id));
    }

    public boolean exists(TenantId id) {
        return transactions.inPlatform(() -> repository.exists(id));
    }

    public List<TenantView> list(int offset, int limit) {
        return transactions.inPlatform(() -> repository.list(offset, limit));
    }

    private static CitadelException alreadyExists() {
        return new CitadelException(ErrorCode.TENANT_ALREADY_EXISTS, "A tenant with this id already exists.");
    }
}
