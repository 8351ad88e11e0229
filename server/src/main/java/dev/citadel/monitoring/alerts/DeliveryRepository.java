package dev.citadel.monitoring.alerts;

import static dev.citadel.monitoring.alerts.WebhookRepository.at;
import static dev.citadel.monitoring.alerts.WebhookRepository.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.platform.TenantId;
import dev.citadel.platform.db.DatabaseKind;

/**
 * The delivery log (tenant rows) and the delivery queue (scheduling facts, polled across tenants).
 * Queue rows exist only for pending deliveries.
 */
@Repository
class DeliveryRepository {

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    private final JdbcClient jdbc;
    private final DatabaseKind database;

    DeliveryRepository(JdbcClient jdbc, DatabaseKind database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** A delivery as its log shows it; {@code nextAttemptAt} only while it is pending. */
    record LogRow(long seq, UUID id, UUID eventId, String type, String state, int attempts, Integer lastStatus,
            String lastError, Instant createdAt, Instant lastAttemptAt, Instant nextAttemptAt, Instant finishedAt) {}

    /** What one attempt needs: the delivery's body and its webhook. */
    record Attempt(UUID id, UUID eventId, String type, String payload, UUID webhookId, String webhookName, String url,
            boolean enabled, byte[] secretCiphertext) {}

    /** A queue entry this process claimed: whose it is and which attempt this is. */
    record Claimed(UUID deliveryId, TenantId tenant, int attempt) {}

    /** Inserts a pending delivery and its queue entry, due at once; in the tenant's transaction. */
    void insert(TenantId tenant, UUID id, UUID webhookId, UUID eventId, String type, String payload, Instant now) {
        jdbc.sql("""
                insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, alert_type, payload, state, attempts,
                    created_at)
                values (?, ?, ?, ?, ?, ?, ?, 0, ?)""")
                .param(id).param(tenant.value()).param(webhookId).param(eventId).param(type).param(payload)
                .param(PENDING).param(at(now)).update();
        jdbc.sql("insert into webhook_delivery_queue (delivery_id, owner_tenant, next_attempt_at, attempts) values (?, ?, ?, 0)")
                .param(id).param(tenant.value()).param(at(now)).update();
    }

    /**
     * Claims up to {@code limit} due deliveries of any tenant: each is pushed {@code lease} into the
     * future (another replica takes it over only if this one dies) and its attempt is counted now, so
     * a sender that crashes mid-attempt still uses one up. In a platform transaction.
     */
    List<Claimed> claim(Instant now, java.time.Duration lease, int limit) {
        String lock = database == DatabaseKind.POSTGRESQL ? " for update skip locked" : " for update";
        List<Claimed> due = jdbc.sql("""
                select delivery_id, owner_tenant, attempts from webhook_delivery_queue where next_attempt_at <= ?
                order by next_attempt_at limit ?""" + lock)
                .param(at(now)).param(limit)
                .query((rs, n) -> new Claimed(rs.getObject("delivery_id", UUID.class), new TenantId(rs.getString("owner_tenant")),
                        rs.getInt("attempts") + 1))
                .list();
        for (Claimed claimed : due) {
            jdbc.sql("update webhook_delivery_queue set next_attempt_at = ?, attempts = ? where delivery_id = ?")
                    .param(at(now.plus(lease))).param(claimed.attempt()).param(claimed.deliveryId()).update();
        }
        return due;
    }

    Optional<Attempt> attempt(TenantId tenant, UUID deliveryId) {
        return jdbc.sql("""
                select d.id, d.event_id, d.alert_type, d.payload, w.id as webhook_id, w.name, w.url, w.enabled,
                    w.secret_ciphertext
                from webhook_deliveries d join webhooks w on w.id = d.webhook_id and w.tenant_id = d.tenant_id
                where d.tenant_id = ? and d.id = ?""")
                .param(tenant.value()).param(deliveryId)
                .query((rs, n) -> new Attempt(rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class),
                        rs.getString("alert_type"), rs.getString("payload"), rs.getObject("webhook_id", UUID.class),
                        rs.getString("name"), rs.getString("url"), rs.getBoolean("enabled"), rs.getBytes("secret_ciphertext")))
                .optional();
    }

    /** Records an attempt that leaves the delivery pending until {@code next}. */
    void retryLater(TenantId tenant, UUID id, int attempts, Integer status, String error, Instant now, Instant next) {
        record(tenant, id, PENDING, attempts, status, error, now, null);
        jdbc.sql("update webhook_delivery_queue set next_attempt_at = ? where delivery_id = ?").param(at(next)).param(id)
                .update();
    }

    /** Records the last attempt: the delivery is {@code delivered} or {@code failed} and leaves the queue. */
    void finish(TenantId tenant, UUID id, String state, int attempts, Integer status, String error, Instant now) {
        record(tenant, id, state, attempts, status, error, now, now);
        dequeue(id);
    }

    void dequeue(UUID id) {
        jdbc.sql("delete from webhook_delivery_queue where delivery_id = ?").param(id).update();
    }

    private void record(TenantId tenant, UUID id, String state, int attempts, Integer status, String error, Instant now,
            Instant finished) {
        jdbc.sql("""
                update webhook_deliveries set state = ?, attempts = ?, last_status = ?, last_error = ?, last_attempt_at = ?,
                    finished_at = ?
                where tenant_id = ? and id = ?""")
                .param(state).param(attempts).param(status).param(error == null ? null : truncate(error, 80)).param(at(now))
                .param(at(finished)).param(tenant.value()).param(id).update();
    }

    /** A page of a webhook's deliveries, newest first, below {@code before}. */
    List<LogRow> page(TenantId tenant, UUID webhookId, long before, int limit) {
        return jdbc.sql("""
                select d.seq, d.id, d.event_id, d.alert_type, d.state, d.attempts, d.last_status, d.last_error, d.created_at,
                    d.last_attempt_at, d.finished_at, q.next_attempt_at
                from webhook_deliveries d left join webhook_delivery_queue q on q.delivery_id = d.id
                where d.tenant_id = ? and d.webhook_id = ? and d.seq < ?
                order by d.seq desc limit ?""")
                .param(tenant.value()).param(webhookId).param(before).param(limit)
                .query(DeliveryRepository::map).list();
    }

    private static LogRow map(ResultSet rs, int n) throws SQLException {
        return new LogRow(rs.getLong("seq"), rs.getObject("id", UUID.class), rs.getObject("event_id", UUID.class),
                rs.getString("alert_type"), rs.getString("state"), rs.getInt("attempts"), (Integer) rs.getObject("last_status"),
                rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "last_attempt_at"),
                instant(rs, "next_attempt_at"), instant(rs, "finished_at"));
    }

    private static String truncate(String value, int max) {
        return value.length() > max ? value.substring(0, max) : value;
    }
}
