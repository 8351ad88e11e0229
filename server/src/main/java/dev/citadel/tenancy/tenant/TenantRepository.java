package dev.citadel.tenancy.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.platform.TenantId;
import dev.citadel.tenancy.Tenants;

/** The tenant registry (platform metadata: names, regions, quotas — no tenant content). */
@Repository
public class TenantRepository {

    private static final String COLUMNS = "id, name, region, plan, quota_storage_bytes, quota_training_concurrency, "
            + "quota_predictions_per_day, created_at, created_by, erased_at";

    private final JdbcClient jdbc;

    public TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(TenantId id) {
        return jdbc.sql("select count(*) from tenants where id = ?").param(id.value()).query(Long.class).single() > 0;
    }

    public Optional<Tenants.TenantView> find(TenantId id) {
        return jdbc.sql("select " + COLUMNS + " from tenants where id = ?").param(id.value())
                .query(TenantRepository::map).optional();
    }

    public List<Tenants.TenantView> list(int offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from tenants order by id limit ? offset ?")
                .param(limit).param(offset).query(TenantRepository::map).list();
    }

    public void insert(Tenants.TenantView tenant) {
        jdbc.sql("insert into tenants (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(tenant.id()).param(tenant.name()).param(tenant.region()).param(tenant.plan())
                .param(tenant.quotas().storageBytes()).param(tenant.quotas().trainingConcurrency())
                .param(tenant.quotas().predictionsPerDay())
                .param(OffsetDateTime.ofInstant(tenant.createdAt(), ZoneOffset.UTC)).param(tenant.createdBy())
                .param(null).update();
    }

    private static Tenants.TenantView map(ResultSet rs, int row) throws SQLException {
        return new Tenants.TenantView(rs.getString("id"), rs.getString("name"), rs.getString("region"), rs.getString("plan"),
                new Tenants.Quotas(rs.getLong("quota_storage_bytes"), rs.getInt("quota_training_concurrency"),
                        rs.getLong("quota_predictions_per_day")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("created_by"),
                rs.getObject("erased_at", OffsetDateTime.class) == null ? null
                        : rs.getObject("erased_at", OffsetDateTime.class).toInstant());
    }

    public void markErased(TenantId id, java.time.Instant at) {
        jdbc.sql("update tenants set erased_at = ? where id = ?").param(OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .param(id.value()).update();
    }
}
