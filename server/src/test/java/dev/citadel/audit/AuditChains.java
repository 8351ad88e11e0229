package dev.citadel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/** A tenant's audit chain as stored, and the check that it is one gap-free hash chain. */
final class AuditChains {

    private AuditChains() {}

    static List<AuditEntry> read(JdbcClient jdbc, TenantTransactions transactions, TenantId tenant) {
        return transactions.inTenant(tenant, () -> {
            List<AuditEntry> entries = new java.util.ArrayList<>();
            AuditEntryReader.entriesAfter(jdbc, tenant, 0).forEach(entries::add);
            return entries;
        });
    }

    /** Sequence numbers 1, 2, 3…, each entry's hash over its predecessor's hash and its own content. */
    static void assertIntact(List<AuditEntry> entries) {
        byte[] previous = JdbcAuditLog.GENESIS;
        for (int i = 0; i < entries.size(); i++) {
            AuditEntry entry = entries.get(i);
            assertThat(entry.seq()).isEqualTo(i + 1);
            assertThat(entry.previousHash()).isEqualTo(previous);
            assertThat(entry.hash()).isEqualTo(AuditCodec.canonicalEntry(entry).chainHash(previous));
            previous = entry.hash();
        }
    }
}
