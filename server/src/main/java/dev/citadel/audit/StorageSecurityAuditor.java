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

    @EventListener
    void on(IntegrityFailure failure) {
        transactions.inNewTenantTransaction(failure.tenant(), () -> audit.append(new AuditEvent(failure.tenant(),
                Principals.currentActor(), "security.integrity_failure", failure.kind().wireName(),
                failure.objectId() + "/v" + failure.version(), AuditOutcome.FAILURE,
                new TreeMap<>(Map.of("reason", failure.reason())))));
    }
}
