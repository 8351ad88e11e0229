package dev.citadel.backup;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.citadel.crypto.KeyOperation;
import dev.citadel.platform.TenantId;

/**
 * Crypto-shredding reaches the backups: when a tenant's keys are destroyed, the key of that
 * tenant's rows is deleted from every backup in the target, so no backup, old or new, can bring the
 * tenant back (its blobs were under the destroyed keys already). The tenant's evidence — its audit
 * trail, key tombstones and certificates — stays in the platform file.
 */
@Component
class BackupShredding {

    private static final Logger log = LoggerFactory.getLogger(BackupShredding.class);

    private final BackupTarget target;

    BackupShredding(BackupTarget target) {
        this.target = target;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void keysDestroyed(KeyOperation operation) {
        if (!"destroy".equals(operation.operation()) || operation.tenant() == null
                || operation.tenant().equals(TenantId.PLATFORM)) {
            return;
        }
        String tenant = operation.tenant().value();
        int shredded = 0;
        for (String id : target.ids()) {
            try {
                if (target.store().exists(BackupTarget.tenantKey(id, tenant))) {
                    target.store().delete(BackupTarget.tenantKey(id, tenant));
                    target.store().delete(BackupTarget.tenantFile(id, tenant));
                    shredded++;
                }
            } catch (IOException e) {
                // the erasure certificate is already issued: say loudly that a backup still holds the key
                log.error("Could not delete tenant {}'s key from backup {} in {}: delete {} by hand", tenant, id,
                        target.description(), BackupTarget.tenantKey(id, tenant), e);
            }
        }
        if (shredded > 0) {
            log.info("Shredded tenant {} in {} backup(s)", tenant, shredded);
        }
    }
}
