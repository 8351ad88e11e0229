package dev.citadel.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.web.RequestMetadata;

/** The audit chain in the metadata database: one head row per tenant, locked while appending. */
@Component
class JdbcAuditLog implements AuditLog {

    static final byte[] GENESIS = new byte[32];

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final Clock clock;

    JdbcAuditLog(JdbcClient jdbc, JdbcTemplate jdbcTemplate, Clock clock) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.clock = clock;
    }

    @Override
    public long append(AuditEvent event) {
        return append(event, RequestMetadata.current());
    }

    @Override
    public long append(AuditEvent event, RequestMetadata origin) {
        checkTransaction(event);
        try {
            return appendInTransaction(List.of(new Origined(event, origin)));
        } catch (DataAccessException e) {
            throw new AuditUnavailableException(e);
        }
    }

    @Override
    public void appendAll(List<Origined> entries) {
        if (entries.isEmpty()) {
            return;
        }
        checkTransaction(entries.getFirst().event());
        entries.forEach(e -> {
            if (!e.event().tenant().equals(entries.getFirst().event().tenant())) {
                throw new IllegalStateException("one batch of audit entries belongs to one tenant");
            }
        });
        try {
            appendInTransaction(entries);
        } catch (DataAccessException e) {
            throw new AuditUnavailableException(e);
        }
    }

    private static void checkTransaction(AuditEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("audit append needs the transaction of the change it records");
        }
        if (!event.tenant().equals(TenantTransactions.currentTenant())) {
            throw new IllegalStateException("audit append must run in its tenant's transaction");
        }
    }

    /**
     * Locks the tenant's head once, chains the entries in memory, inserts them in one JDBC batch and
     * moves the head once: a batch costs three statements however many entries it holds.
     */
    private long appendInTransaction(List<Origined> entries) {
        String tenant = entries.getFirst().event().tenant().value();
        Map<String, Object> head = lockHead(tenant);
        long seq = ((Number) head.get("seq")).longValue();
        byte[] previous = (byte[]) head.get("hash");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        OffsetDateTime time = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Origined item : entries) {
            AuditEvent event = item.event();
            RequestMetadata request = item.origin();
            seq++;
            AuditEntry entry = new AuditEntry(tenant, seq, UUID.randomUUID(), now, event.actor(), event.action(),
                    event.targetType(), event.targetId(), event.outcome(), request.requestId(),
                    request.sourceAddress(), event.details(), previous, null);
            byte[] hash = AuditCodec.hash(previous, AuditCodec.canonical(entry));
            rows.add(new Object[] {tenant, seq, entry.eventId(), time, entry.actor(), entry.action(),
                    entry.targetType(), entry.targetId(), entry.outcome().wireName(), entry.requestId(),
                    entry.sourceAddress(), AuditCodec.detailsJson(entry.details()), previous, hash});
            previous = hash;
        }
        jdbcTemplate.batchUpdate("""
                insert into audit_events (tenant_id, seq, event_id, occurred_at, actor, action, target_type, target_id,
                    outcome, request_id, source_address, details, prev_hash, hash)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, rows);
        jdbc.sql("update audit_heads set seq = ?, hash = ? where tenant_id = ?")
                .param(seq).param(previous).param(tenant).update();
        return seq;
    }

    /**
     * Locks the tenant's head row, creating it at the genesis hash on the tenant's first entry. The
     * insert is tried only when the row is missing: H2 implements {@code on conflict do nothing} by
     * throwing and catching a duplicate-key exception, which on every append was a hot-path cost.
     */
    private Map<String, Object> lockHead(String tenant) {
        List<Map<String, Object>> head = jdbc.sql("select seq, hash from audit_heads where tenant_id = ? for update")
                .param(tenant).query().listOfRows();
        if (!head.isEmpty()) {
            return head.getFirst();
        }
        jdbc.sql("insert into audit_heads (tenant_id, seq, hash) values (?, 0, ?) on conflict do nothing")
                .param(tenant).param(GENESIS).update();
        return jdbc.sql("select seq, hash from audit_heads where tenant_id = ? for update")
                .param(tenant).query().singleRow();
    }

    /** Reads a page of a tenant's entries, newest first; the caller's transaction is in that tenant. */
    List<AuditEntry> page(TenantId tenant, long beforeSeq, int limit) {
        return jdbc.sql("""
                select tenant_id, seq, event_id, occurred_at, actor, action, target_type, target_id, outcome,
                       request_id, source_address, details, prev_hash, hash
                from audit_events where tenant_id = ? and seq < ? order by seq desc limit ?
                """)
                .param(tenant.value()).param(beforeSeq).param(limit)
                .query((rs, n) -> new AuditEntry(rs.getString("tenant_id"), rs.getLong("seq"),
                        rs.getObject("event_id", UUID.class),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                        rs.getString("actor"), rs.getString("action"), rs.getString("target_type"),
                        rs.getString("target_id"), AuditOutcome.fromWireName(rs.getString("outcome")),
                        rs.getString("request_id"), rs.getString("source_address"),
                        AuditCodec.parseDetails(rs.getString("details")), rs.getBytes("prev_hash"), rs.getBytes("hash")))
                .list();
    }

    /** The append failed: the change must not commit without its evidence. */
    static final class AuditUnavailableException extends CitadelException {
        AuditUnavailableException(Throwable cause) {
            super(ErrorCode.AUDIT_UNAVAILABLE, "The audit trail is unavailable; the change was not made.", cause);
        }
    }
}
