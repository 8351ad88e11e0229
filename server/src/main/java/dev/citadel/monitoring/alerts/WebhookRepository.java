package dev.citadel.monitoring.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.platform.TenantId;

/** Webhooks (tenant rows; every query names the tenant). */
@Repository
class WebhookRepository {

    private final JdbcClient jdbc;

    WebhookRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A webhook as stored; the secret only as its ciphertext. */
    record Row(UUID id, String name, String url, List<String> types, boolean enabled, byte[] secretCiphertext,
            Instant secretCreatedAt, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {

        boolean accepts(String type) {
            return enabled && types.contains(type);
        }
    }

    Optional<Row> find(TenantId tenant, String name) {
        return jdbc.sql("select * from webhooks where tenant_id = ? and name = ?").param(tenant.value()).param(name)
                .query(WebhookRepository::map).optional();
    }

    Optional<Row> findById(TenantId tenant, UUID id) {
        return jdbc.sql("select * from webhooks where tenant_id = ? and id = ?").param(tenant.value()).param(id)
                .query(WebhookRepository::map).optional();
    }

    List<Row> list(TenantId tenant) {
        return jdbc.sql("select * from webhooks where tenant_id = ? order by name").param(tenant.value())
                .query(WebhookRepository::map).list();
    }

    List<Row> enabled(TenantId tenant) {
        return jdbc.sql("select * from webhooks where tenant_id = ? and enabled = true order by name")
                .param(tenant.value()).query(WebhookRepository::map).list();
    }

    long count(TenantId tenant) {
        return jdbc.sql("select count(*) from webhooks where tenant_id = ?").param(tenant.value()).query(Long.class).single();
    }

    void insert(TenantId tenant, Row row) {
        jdbc.sql("""
                insert into webhooks (id, tenant_id, name, url, alert_types, enabled, secret_ciphertext, secret_created_at,
                    created_at, created_by, updated_at, updated_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .param(row.id()).param(tenant.value()).param(row.name()).param(row.url()).param(String.join(",", row.types()))
                .param(row.enabled()).param(row.secretCiphertext()).param(at(row.secretCreatedAt()))
                .param(at(row.createdAt())).param(row.createdBy()).param(at(row.updatedAt())).param(row.updatedBy())
                .update();
    }

    void update(TenantId tenant, Row row) {
        jdbc.sql("""
                update webhooks set url = ?, alert_types = ?, enabled = ?, updated_at = ?, updated_by = ?
                where tenant_id = ? and id = ?""")
                .param(row.url()).param(String.join(",", row.types())).param(row.enabled()).param(at(row.updatedAt()))
                .param(row.updatedBy()).param(tenant.value()).param(row.id()).update();
    }

    void updateSecret(TenantId tenant, UUID id, byte[] ciphertext, Instant now, String actor) {
        jdbc.sql("""
                update webhooks set secret_ciphertext = ?, secret_created_at = ?, updated_at = ?, updated_by = ?
                where tenant_id = ? and id = ?""")
                .param(ciphertext).param(at(now)).param(at(now)).param(actor).param(tenant.value()).param(id).update();
    }

    boolean delete(TenantId tenant, UUID id) {
        return jdbc.sql("delete from webhooks where tenant_id = ? and id = ?").param(tenant.value()).param(id)
                .update() == 1;
    }

    private static Row map(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("url"),
                Arrays.asList(rs.getString("alert_types").split(",")), rs.getBoolean("enabled"),
                rs.getBytes("secret_ciphertext"), instant(rs, "secret_created_at"), instant(rs, "created_at"),
                rs.getString("created_by"), instant(rs, "updated_at"), rs.getString("updated_by"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
