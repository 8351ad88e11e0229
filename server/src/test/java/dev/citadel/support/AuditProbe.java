package dev.citadel.support;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/** Reads audit entries straight from the database (in the right tenant context, so RLS allows it). */
public final class AuditProbe {

    private final JdbcClient jdbc;
    private final TenantTransactions transactions;

    public AuditProbe(JdbcClient jdbc, TenantTransactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Entries of {@code tenant} written while serving the request with this id. */
    public List<Map<String, Object>> byRequest(TenantId tenant, String requestId) {
        return transactions.inTenant(tenant, () -> jdbc.sql(
                        "select action, outcome, actor, target_type, target_id, details from audit_events "
                                + "where tenant_id = ? and request_id = ? order by seq")
                .param(tenant.value()).param(requestId).query().listOfRows());
    }

    public List<Map<String, Object>> latest(TenantId tenant, int limit) {
        return transactions.inTenant(tenant, () -> jdbc.sql(
                        "select seq, action, outcome, actor, target_type, target_id, details from audit_events "
                                + "where tenant_id = ? order by seq desc limit ?")
                .param(tenant.value()).param(limit).query().listOfRows());
    }
}
