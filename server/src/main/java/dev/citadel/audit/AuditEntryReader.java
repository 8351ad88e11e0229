package dev.citadel.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.platform.TenantId;

/** Reads stored entries; the caller's transaction is in the entries' tenant. */
final class AuditEntryReader {

    static final String COLUMNS = """
            tenant_id, seq, event_id, occurred_at, actor, action, target_type, target_id, outcome,
            request_id, source_address, details, prev_hash, hash""";
    private static final int PAGE = 1000;

    private AuditEntryReader() {}

    static AuditEntry map(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getString("tenant_id"), rs.getLong("seq"), rs.getObject("event_id", UUID.class),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                AuditOutcome.fromWireName(rs.getString("outcome")), rs.getString("request_id"),
                rs.getString("source_address"), AuditCodec.parseDetails(rs.getString("details")),
                rs.getBytes("prev_hash"), rs.getBytes("hash"));
    }

    /** Every entry with a sequence number above {@code after}, in order, read a page at a time. */
    static Iterable<AuditEntry> entriesAfter(JdbcClient jdbc, TenantId tenant, long after) {
        return entriesBetween(jdbc, tenant, after, Long.MAX_VALUE);
    }

    /** The entries numbered above {@code after} and up to {@code upTo}, in order, read a page at a time. */
    static Iterable<AuditEntry> entriesBetween(JdbcClient jdbc, TenantId tenant, long after, long upTo) {
        return () -> new Iterator<>() {
            private long last = after;
            private Iterator<AuditEntry> page = List.<AuditEntry>of().iterator();
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (!page.hasNext() && !exhausted) {
                    List<AuditEntry> next = jdbc.sql("select " + COLUMNS
                                    + " from audit_events where tenant_id = ? and seq > ? and seq <= ? order by seq limit ?")
                            .param(tenant.value()).param(last).param(upTo).param(PAGE).query(AuditEntryReader::map).list();
                    exhausted = next.size() < PAGE;
                    page = next.iterator();
                }
                return page.hasNext();
            }

            @Override
            public AuditEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                AuditEntry entry = page.next();
                last = entry.seq();
                return entry;
            }
        };
    }
}
