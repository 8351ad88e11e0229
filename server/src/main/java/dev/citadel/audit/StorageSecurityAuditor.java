package dev.citadel.audit;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.citadel.platform.access.Principals;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.storage.IntegrityFailure;

/** Records integrity failures of stored blobs and wrapped keysets as security events in the tenant's trail (own transaction). */
@Component
class StorageSecurityAuditor {

    private final AuditLog audit;
    private final TenantTransactions transactions;

    StorageSecurityAuditor(AuditLog audit, TenantTransactions transactions) {
        this.audit = audit;
        this.transactions = transactions;
    }

    @EventListener
    void on(dev.citadel.crypto.KeyIntegrityFailure failure) {
        transactions.inNewTenantTransaction(failure.tenant(), () -> audit.append(new AuditEvent(failure.tenant(),
                Principals.currentActor(), "security.key_integrity_failure", "keyset", failure.purpose(),
                AuditOutcome.FAILURE, new TreeMap<>(Map.of("reason", "wrapped keyset did not unwrap")))));
    }

    /** A scrub of the replicated object store: what it checked and repaired, in the platform's trail. */
    @EventListener
    void on(dev.citadel.storage.ReplicaRepairs.ReplicaScrubbed scrubbed) {
        var report = scrubbed.report();
        TreeMap<String, String> details = new TreeMap<>();
        details.put("trigger", scrubbed.trigger());
        details.put("checked", Long.toString(report.checked()));
        details.put("repaired", Long.toString(report.repaired()));
        details.put("unrecoverable", Long.toString(report.unrecoverable()));
        details.put("skipped", Long.toString(report.skipped()));
        details.put("unavailable", Long.toString(report.unavailable()));
        transactions.inNewTenantTransaction(dev.citadel.platform.TenantId.PLATFORM, () -> audit.append(new AuditEvent(
                dev.citadel.platform.TenantId.PLATFORM, Principals.currentActor(), "storage.scrub", "object-store",
                "replicated", report.unrecoverable() > 0 ? AuditOutcome.FAILURE : AuditOutcome.SUCCESS, details)));
    }

    @EventListener
    void on(IntegrityFailure failure) {
        transactions.inNewTenantTransaction(failure.tenant(), () -> audit.append(new AuditEvent(failure.tenant(),
                Principals.currentActor(), "security.integrity_failure", failure.kind().wireName(),
                failure.objectId() + "/v" + failure.version(), AuditOutcome.FAILURE,
                new TreeMap<>(Map.of("reason", failure.reason())))));
    }
}
