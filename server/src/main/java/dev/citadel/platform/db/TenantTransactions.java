package dev.citadel.platform.db;

import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.citadel.platform.PrincipalId;
import dev.citadel.platform.TenantId;

/**
 * Runs work in a database transaction that carries its tenant.
 *
 * <p>Security guarantees: on PostgreSQL the tenant (and, where given, the principal) is set with
 * {@code set_config(…, true)}, the function form of {@code SET LOCAL}: it lasts exactly as long as
 * the transaction, so a pooled connection never carries one request's tenant into the next. Every
 * tenant table has forced row-level security keyed on that setting, so a query that forgets its own
 * {@code tenant_id} filter still sees only the context tenant's rows, and with no context it sees
 * none. A transaction cannot switch tenant half-way: joining a transaction of another tenant throws.
 * On H2 (embedded default) the setting does not exist; repositories' own filters are the wall.
 */
public final class TenantTransactions {

    private static final Object CONTEXT_KEY = new Object();

    private final TransactionTemplate required;
    private final TransactionTemplate requiresNew;
    private final JdbcClient jdbc;
    private final DatabaseKind kind;

    TenantTransactions(PlatformTransactionManager transactionManager, JdbcClient jdbc, DatabaseKind kind) {
        this.required = new TransactionTemplate(transactionManager);
        this.requiresNew = new TransactionTemplate(transactionManager);
        this.requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.jdbc = jdbc;
        this.kind = kind;
    }

    /** Runs {@code work} in (or joining) a transaction scoped to {@code tenant}. */
    public <T> T inTenant(TenantId tenant, Supplier<T> work) {
        return run(required, new Context(Objects.requireNonNull(tenant), null), work);
    }

    public void inTenant(TenantId tenant, Runnable work) {
        inTenant(tenant, () -> {
            work.run();
            return null;
        });
    }

    /** Like {@link #inTenant} but always in a new transaction that commits on its own (denial audits). */
    public <T> T inNewTenantTransaction(TenantId tenant, Supplier<T> work) {
        return run(requiresNew, new Context(Objects.requireNonNull(tenant), null), work);
    }

    /**
     * Platform-scope work (tenants, users, the platform's own audit trail). Tenant rows other than
     * the platform pseudo-tenant's are invisible here.
     */
    public <T> T inPlatform(Supplier<T> work) {
        return run(required, new Context(TenantId.PLATFORM, null), work);
    }

    public void inPlatform(Runnable work) {
        inPlatform(() -> {
            work.run();
            return null;
        });
    }

    /** Work on a principal's own rows across tenants (its memberships), with no tenant context. */
    public <T> T asPrincipal(PrincipalId principal, Supplier<T> work) {
        return run(required, new Context(null, Objects.requireNonNull(principal)), work);
    }

    /** The tenant of the current transaction, or {@code null}. */
    public static TenantId currentTenant() {
        return TransactionSynchronizationManager.getResource(CONTEXT_KEY) instanceof Context context
                ? context.tenant() : null;
    }

    private <T> T run(TransactionTemplate template, Context context, Supplier<T> work) {
        boolean joining = template == required && TransactionSynchronizationManager.isActualTransactionActive();
        if (joining) {
            Object existing = TransactionSynchronizationManager.getResource(CONTEXT_KEY);
            if (existing != null && !existing.equals(context)) {
                throw new IllegalStateException("a transaction cannot change its tenant context");
            }
            if (existing != null) {
                return work.get();
            }
        }
        return template.execute(status -> {
            Object suspended = TransactionSynchronizationManager.unbindResourceIfPossible(CONTEXT_KEY);
            bind(context);
            try {
                return work.get();
            } finally {
                TransactionSynchronizationManager.unbindResourceIfPossible(CONTEXT_KEY);
                if (suspended != null) {
                    TransactionSynchronizationManager.bindResource(CONTEXT_KEY, suspended);
                }
            }
        });
    }

    private void bind(Context context) {
        if (kind == DatabaseKind.POSTGRESQL) {
            jdbc.sql("select set_config('citadel.tenant_id', ?, true), set_config('citadel.principal_id', ?, true)")
                    .param(context.tenant() == null ? "" : context.tenant().value())
                    .param(context.principal() == null ? "" : context.principal().value().toString())
                    .query().singleRow();
        }
        TransactionSynchronizationManager.bindResource(CONTEXT_KEY, context);
    }

    private record Context(TenantId tenant, PrincipalId principal) {}
}
