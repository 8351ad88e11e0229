package dev.citadel.audit;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;

/** Read access to a tenant's own trail. */
@Service
public class AuditTrail {

    private final JdbcAuditLog log;
    private final TenantTransactions transactions;

    AuditTrail(JdbcAuditLog log, TenantTransactions transactions) {
        this.log = log;
        this.transactions = transactions;
    }

    public AuditPage page(TenantId tenant, long beforeSeq, int limit) {
        List<AuditEntry> entries = transactions.inTenant(tenant, () -> log.page(tenant, beforeSeq, limit));
        List<Entry> items = entries.stream().map(Entry::of).toList();
        Long next = entries.size() == limit ? entries.getLast().seq() : null;
        return new AuditPage(items, next);
    }

    /** One page of entries and the {@code before} value of the next page (null at the end). */
    public record AuditPage(List<Entry> items, Long nextBefore) {}

    /** An entry as the API shows it. */
    public record Entry(long seq, String eventId, Instant time, String actor, String action, String targetType,
            String targetId, String outcome, String requestId, String sourceAddress, Map<String, String> details,
            String hash) {

        static Entry of(AuditEntry e) {
            return new Entry(e.seq(), e.eventId().toString(), e.occurredAt(), e.actor(), e.action(), e.targetType(),
                    e.targetId(), e.outcome().wireName(), e.requestId(), e.sourceAddress(), e.details(),
                    HexFormat.of().formatHex(e.hash()));
        }
    }
}
