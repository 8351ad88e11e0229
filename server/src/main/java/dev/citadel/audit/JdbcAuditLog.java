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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.TenantTransactions;
import dev.citadel.platform.db.WriterPool;
import dev.citadel.platform.errors.CitadelException;
import dev.citadel.platform.errors.ErrorCode;
import dev.citadel.platform.web.RequestMetadata;

/** The audit chain in the metadata database: one head row per tenant, locked while appending. */
@Component
class JdbcAuditLog implements AuditLog {

    private static final Logger log = LoggerFactory.getLogger(JdbcAuditLog.class);

    static final byte[] GENESIS = new byte[32];

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final Clock clock;

    private final AuditCheckpoints checkpoints;
    private final int checkpointEvery;
    private final ApplicationEventPublisher events;
    private final WriterPool writer;

    /**
     * The last head each tenant's chain was seen to commit with, in this process. Only a hint: the
     * head moves with {@code update … where seq = ? and hash = ?}, so a stale hint (another replica
     * appended, a transaction rolled back) matches no row and the append falls back to locking the
     * head and reading it. It saves the {@code select … for update} on the hot path.
     */
    private final Map<String, Head> heads = new java.util.concurrent.ConcurrentHashMap<>();

    private record Head(long seq, byte[] hash) {}

    JdbcAuditLog(JdbcClient jdbc, JdbcTemplate jdbcTemplate, Clock clock, AuditCheckpoints checkpoints,
            AuditProperties properties, ApplicationEventPublisher events, WriterPool writer) {
        this.writer = writer;
        this.checkpoints = checkpoints;
        this.events = events;
        this.checkpointEvery = properties.checkpointEvery();
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
     * Chains the entries in memory from the tenant's head, moves the head once and inserts the
     * entries in one JDBC batch: a batch costs two statements however many entries it holds. The
     * head is taken from this process's hint and moved only if the row still holds it; otherwise
     * (first append here, another writer got there first) it is locked, read, and the entries are
     * chained again from it.
     */
    private long appendInTransaction(List<Origined> entries) {
        String tenant = entries.getFirst().event().tenant().value();
        JdbcClient client = writer.inTransaction() ? writer.jdbc() : jdbc;
        JdbcTemplate template = writer.inTransaction() ? writer.jdbcTemplate() : jdbcTemplate;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Head hint = heads.get(tenant);
        Chained chained = null;
        if (hint != null) {
            chained = chain(tenant, hint, entries, now);
            if (client.sql("update audit_heads set seq = ?, hash = ? where tenant_id = ? and seq = ? and hash = ?")
                    .param(chained.head().seq()).param(chained.head().hash()).param(tenant).param(hint.seq())
                    .param(hint.hash()).update() != 1) {
                chained = null;
            }
        }
        if (chained == null) {
            Map<String, Object> locked = lockHead(client, tenant);
            Head start = new Head(((Number) locked.get("seq")).longValue(), (byte[]) locked.get("hash"));
            chained = chain(tenant, start, entries, now);
            client.sql("update audit_heads set seq = ?, hash = ? where tenant_id = ?")
                    .param(chained.head().seq()).param(chained.head().hash()).param(tenant).update();
        }
        template.batchUpdate("""
                insert into audit_events (tenant_id, seq, event_id, occurred_at, actor, action, target_type, target_id,
                    outcome, request_id, source_address, details, prev_hash, hash)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, chained.rows());
        long before = chained.from();
        long seq = chained.head().seq();
        noteAppended(entries.getFirst().event().tenant(), chained.head(),
                before / checkpointEvery != seq / checkpointEvery, chained.securityEvents());
        return seq;
    }

    /** The entries chained from {@code from}: their rows, the new head, and the security events among them. */
    private record Chained(long from, Head head, List<Object[]> rows, List<SecurityEventRecorded> securityEvents) {}

    private static Chained chain(String tenant, Head from, List<Origined> entries, Instant now) {
        long seq = from.seq();
        byte[] previous = from.hash();
        OffsetDateTime time = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>(entries.size());
        List<SecurityEventRecorded> securityEvents = null;
        for (Origined item : entries) {
            AuditEvent event = item.event();
            RequestMetadata request = item.origin();
            seq++;
            AuditEntry entry = new AuditEntry(tenant, seq, UUID.randomUUID(), now, event.actor(), event.action(),
                    event.targetType(), event.targetId(), event.outcome(), request.requestId(),
                    request.sourceAddress(), event.details(), previous, null);
            byte[] hash = AuditCodec.canonicalEntry(entry).chainHash(previous);
            rows.add(new Object[] {tenant, seq, entry.eventId(), time, entry.actor(), entry.action(),
                    entry.targetType(), entry.targetId(), entry.outcome().wireName(), entry.requestId(),
                    entry.sourceAddress(), AuditCodec.detailsJson(entry.details()), previous, hash});
            previous = hash;
            if (SecurityEventRecorded.isSecurityEvent(entry.action())) {
                securityEvents = securityEvents == null ? new ArrayList<>(1) : securityEvents;
                securityEvents.add(new SecurityEventRecorded(event.tenant(), seq, entry.eventId(), entry.action(),
                        entry.targetType(), entry.targetId(), entry.details()));
            }
        }
        return new Chained(from.seq(), new Head(seq, previous), rows, securityEvents);
    }

    /**
     * Tells the checkpointer once this transaction has committed: how far the chain now goes (a head
     * found below that later was rewound) and whether a checkpoint is due; and publishes the security
     * events it holds (null when none, the common case: the hot path pays one comparison per entry).
     */
    private void noteAppended(TenantId tenant, Head head, boolean due, List<SecurityEventRecorded> securityEvents) {
        long seq = head.seq();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                heads.put(tenant.value(), head);
                checkpoints.committed(tenant, seq, due);
                if (securityEvents != null) {
                    securityEvents.forEach(JdbcAuditLog.this::publishQuietly);
                }
            }
        });
    }

    /** The change has committed: a listener's failure must not turn it into an error for the caller. */
    private void publishQuietly(SecurityEventRecorded event) {
        try {
            events.publishEvent(event);
        } catch (RuntimeException e) {
            log.error("a listener failed on security event {} of tenant {}", event.action(), event.tenant().value(), e);
        }
    }

    /**
     * Locks the tenant's head row, creating it at the genesis hash on the tenant's first entry. The
     * insert is tried only when the row is missing: H2 implements {@code on conflict do nothing} by
     * throwing and catching a duplicate-key exception, which on every append was a hot-path cost.
     */
    private static Map<String, Object> lockHead(JdbcClient jdbc, String tenant) {
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
    List<AuditEntry> page(TenantId tenant, AuditQuery query) {
        StringBuilder sql = new StringBuilder("select " + AuditEntryReader.COLUMNS
                + " from audit_events where tenant_id = ? and seq < ?");
        List<Object> params = new ArrayList<>(List.of(tenant.value(), query.before()));
        if (query.from() != null) {
            sql.append(" and occurred_at >= ?");
            params.add(OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            sql.append(" and occurred_at < ?");
            params.add(OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        for (var filter : List.of(new String[] {"actor", query.actor()}, new String[] {"action", query.action()},
                new String[] {"target_type", query.targetType()}, new String[] {"target_id", query.targetId()},
                new String[] {"outcome", query.outcome()})) {
            if (filter[1] != null) {
                sql.append(" and ").append(filter[0]).append(" = ?");
                params.add(filter[1]);
            }
        }
        sql.append(" order by seq desc limit ?");
        params.add(query.limit());
        return jdbc.sql(sql.toString()).params(params).query(AuditEntryReader::map).list();
    }

    /** The append failed: the change must not commit without its evidence. */
    static final class AuditUnavailableException extends CitadelException {
        AuditUnavailableException(Throwable cause) {
            super(ErrorCode.AUDIT_UNAVAILABLE, "The audit trail is unavailable; the change was not made.", cause);
        }
    }
}
