package dev.citadel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/** A tenant's audit chain as stored, and the check that it is one gap-free hash chain. */
final class AuditChains {

    private AuditChains() {}

    static List<AuditEntry> read(JdbcClient jdbc, TenantTransactions transactions, TenantId tenant) {
        return transactions.inTenant(tenant, () -> jdbc.sql("""
                        select tenant_id, seq, event_id, occurred_at, actor, action, target_type, target_id, outcome,
                               request_id, source_address, details, prev_hash, hash
                        from audit_events where tenant_id = ? order by seq""")
                .param(tenant.value())
                .query((rs, n) -> new AuditEntry(rs.getString(1), rs.getLong(2), rs.getObject(3, UUID.class),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), AuditOutcome.fromWireName(rs.getString(9)), rs.getString(10),
                        rs.getString(11), AuditCodec.parseDetails(rs.getString(12)), rs.getBytes(13), rs.getBytes(14)))
                .list());
    }

    /** Sequence numbers 1, 2, 3…, each entry's hash over its predecessor's hash and its own content. */
    static void assertIntact(List<AuditEntry> entries) {
        byte[] previous = JdbcAuditLog.GENESIS;
        for (int i = 0; i < entries.size(); i++) {
            AuditEntry entry = entries.get(i);
            assertThat(entry.seq()).isEqualTo(i + 1);
            assertThat(entry.previousHash()).isEqualTo(previous);
            assertThat(entry.hash()).isEqualTo(AuditCodec.hash(previous, AuditCodec.canonical(entry)));
            previous = entry.hash();
        }
    }
}
