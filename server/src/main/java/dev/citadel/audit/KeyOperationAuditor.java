package dev.citadel.audit;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.stereotype.Component;

import dev.citadel.crypto.KeyOperation;
import dev.citadel.platform.access.Principals;

/**
 * Records every key operation (wrap, unwrap, rotate, destroy, KEK rotation) in the owner's trail,
 * inside the transaction of the operation. A plain listener rather than {@code @EventListener}, so
 * the platform keyset unwrapped during start-up is recorded too.
 */
@Component
class KeyOperationAuditor implements ApplicationListener<PayloadApplicationEvent<KeyOperation>> {

    private final AuditLog audit;

    KeyOperationAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void onApplicationEvent(PayloadApplicationEvent<KeyOperation> event) {
        KeyOperation operation = event.getPayload();
        audit.append(new AuditEvent(operation.tenant(), Principals.currentActor(), "key." + operation.operation(),
                "keyset", operation.purpose(), AuditOutcome.SUCCESS,
                new TreeMap<>(Map.of("kek", operation.kekId()))));
    }
}
