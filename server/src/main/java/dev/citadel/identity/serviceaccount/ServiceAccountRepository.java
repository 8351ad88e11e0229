package dev.citadel.identity.serviceaccount;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.platform.TenantId;

/** Service accounts are tenant rows: every query names the tenant, and runs in that tenant's transaction. */
@Repository
public class ServiceAccountRepository {

    private static final String COLUMNS = "id, tenant_id, name, client_id, secret_hash, secret_created_at, disabled, "
            + "token_generation, created_at, created_by, last_used_at, tls_subject_dn";

    private final JdbcClient jdbc;

    public ServiceAccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ServiceAccountRecord sa) {
        jdbc.sql("insert into service_accounts (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(sa.id()).param(sa.tenant().value()).param(sa.name()).param(sa.clientId()).param(sa.secretHash())
                .param(at(sa.secretCreatedAt())).param(sa.disabled()).param(sa.tokenGeneration())
                .param(at(sa.createdAt())).param(sa.createdBy()).param(at(sa.lastUsedAt())).param(sa.tlsSubjectDn())
                .update();
    }

    public Optional<ServiceAccountRecord> findByName(TenantId tenant, String name) {
        return jdbc.sql("select " + COLUMNS + " from service_accounts where tenant_id = ? and name = ?")
                .param(tenant.value()).param(name).query(ServiceAccountRepository::map).optional();
    }

    public Optional<ServiceAccountRecord> findById(TenantId tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from service_accounts where tenant_id = ? and id = ?")
                .param(tenant.value()).param(id).query(ServiceAccountRepository::map).optional();
    }

    public Optional<ServiceAccountRecord> findByClientId(TenantId tenant, String clientId) {
        return jdbc.sql("select " + COLUMNS + " from service_accounts where tenant_id = ? and client_id = ?")
                .param(tenant.value()).param(clientId).query(ServiceAccountRepository::map).optional();
    }

    public List<ServiceAccountRecord> list(TenantId tenant) {
        return jdbc.sql("select " + COLUMNS + " from service_accounts where tenant_id = ? order by name")
                .param(tenant.value()).query(ServiceAccountRepository::map).list();
    }

    public void updateSecret(TenantId tenant, UUID id, byte[] hash, Instant now) {
        jdbc.sql("update service_accounts set secret_hash = ?, secret_created_at = ?, "
                        + "token_generation = token_generation + 1 where tenant_id = ? and id = ?")
                .param(hash).param(at(now)).param(tenant.value()).param(id).update();
    }

    /**
     * Makes the account authenticate with a client certificate of this subject: its secret is
     * replaced by {@code unusableHash} and every token issued before stops working.
     */
    public void bindCertificate(TenantId tenant, UUID id, String subjectDn, byte[] unusableHash) {
        jdbc.sql("update service_accounts set tls_subject_dn = ?, secret_hash = ?, "
                        + "token_generation = token_generation + 1 where tenant_id = ? and id = ?")
                .param(subjectDn).param(unusableHash).param(tenant.value()).param(id).update();
    }

    public void disable(TenantId tenant, UUID id) {
        jdbc.sql("update service_accounts set disabled = true, token_generation = token_generation + 1 "
                        + "where tenant_id = ? and id = ?")
                .param(tenant.value()).param(id).update();
    }

    public void recordUse(TenantId tenant, UUID id, Instant now) {
        jdbc.sql("update service_accounts set last_used_at = ? where tenant_id = ? and id = ?")
                .param(at(now)).param(tenant.value()).param(id).update();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static ServiceAccountRecord map(ResultSet rs, int row) throws SQLException {
        return new ServiceAccountRecord(rs.getObject("id", UUID.class), new TenantId(rs.getString("tenant_id")),
                rs.getString("name"), rs.getString("client_id"), rs.getBytes("secret_hash"),
                instant(rs, "secret_created_at"), rs.getBoolean("disabled"), rs.getInt("token_generation"),
                instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "last_used_at"),
                rs.getString("tls_subject_dn"));
    }
}
