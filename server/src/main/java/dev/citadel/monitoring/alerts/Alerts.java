package dev.citadel.monitoring.alerts;

import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.db.TenantTransactions;

/**
 * Raises alerts: each is recorded in its tenant's audit trail ({@code monitoring.alert}) and logged;
 * delivery to webhooks builds on this.
 */
@Component
public class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final AuditLog audit;
    private final TenantTransactions transactions;

    Alerts(AuditLog audit, TenantTransactions transactions) {
        this.audit = audit;
        this.transactions = transactions;
    }

    /** Records {@code alert} in its tenant's trail (in a transaction of its own) and logs it. */
    public void raise(Alert alert) {
        Map<String, String> details = new TreeMap<>(alert.details());
        details.put("type", alert.type());
        details.put("severity", alert.severity());
        transactions.inNewTenantTransaction(alert.tenant(), () -> audit.append(new AuditEvent(alert.tenant(), "system",
                "monitoring.alert", "alert", alert.type(), AuditOutcome.SUCCESS, new TreeMap<>(details))));
        log.warn("alert for tenant {}: {} {} — {}", alert.tenant().value(), alert.severity(), alert.type(), alert.summary());
    }
}
