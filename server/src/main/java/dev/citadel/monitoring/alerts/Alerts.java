package dev.citadel.monitoring.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.citadel.audit.AuditEvent;
import dev.citadel.audit.AuditLog;
import dev.citadel.audit.AuditOutcome;
import dev.citadel.platform.db.TenantTransactions;

/**
 * Raises alerts: each is recorded in its tenant's audit trail ({@code monitoring.alert}), queued for
 * every enabled webhook of the tenant subscribed to its type — in one transaction, so an alert is
 * recorded exactly when its deliveries are queued — and logged. Sending happens later, on the
 * delivery queue's threads: a receiver that is down or slow never reaches the caller.
 */
@Component
public class Alerts {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final AuditLog audit;
    private final TenantTransactions transactions;
    private final Webhooks webhooks;
    private final Clock clock;

    Alerts(AuditLog audit, TenantTransactions transactions, Webhooks webhooks, Clock clock) {
        this.audit = audit;
        this.transactions = transactions;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /**
     * Records {@code alert} in its tenant's trail and queues its webhook deliveries (in a transaction of
     * its own), then logs it. Costs a few inserts; throws only if the database does.
     */
    public void raise(Alert alert) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, String> details = new TreeMap<>(alert.details());
        details.put("type", alert.type());
        details.put("severity", alert.severity());
        details.put("alert", id.toString());
        int queued = transactions.inNewTenantTransaction(alert.tenant(), () -> {
            audit.append(new AuditEvent(alert.tenant(), "system", "monitoring.alert", "alert", alert.type(),
                    AuditOutcome.SUCCESS, new TreeMap<>(details)));
            return webhooks.queue(alert, id, now);
        });
        log.warn("alert {} for tenant {}: {} {} — {} ({} webhook deliveries queued)", id, alert.tenant().value(),
                alert.severity(), alert.type(), alert.summary(), queued);
    }
}
