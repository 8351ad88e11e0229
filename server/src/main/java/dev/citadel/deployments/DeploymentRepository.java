package dev.citadel.deployments;

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

/** Deployments (tenant rows; every query names the tenant). */
@Repository
class DeploymentRepository {

    private final JdbcClient jdbc;

    DeploymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Row(UUID id, String name, String model, int version, String output, int precision, Integer topK,
            String unknownCategories, int maxBatch, Integer dailyBudget, String extraction, String region, List<String> exceptions,
            Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {}

    Optional<Row> find(TenantId tenant, String name) {
        return jdbc.sql("select * from deployments where tenant_id = ? and name = ?").param(tenant.value()).param(name)
                .query(DeploymentRepository::map).optional();
    }

    List<Row> list(TenantId tenant) {
        return jdbc.sql("select * from deployments where tenant_id = ? order by name").param(tenant.value())
                .query(DeploymentRepository::map).list();
    }

    void insert(TenantId tenant, Row row) {
        jdbc.sql("""
                insert into deployments (id, tenant_id, name, model, model_version, output_mode, score_precision, top_k,
                    unknown_categories, max_batch, daily_budget, extraction_action, region, policy_exceptions, created_at,
                    created_by, updated_at, updated_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .param(row.id()).param(tenant.value()).param(row.name()).param(row.model()).param(row.version())
                .param(row.output()).param(row.precision()).param(row.topK()).param(row.unknownCategories())
                .param(row.maxBatch()).param(row.dailyBudget()).param(row.extraction()).param(row.region()).param(exceptions(row))
                .param(at(row.createdAt())).param(row.createdBy()).param(at(row.updatedAt()))
                .param(row.updatedBy()).update();
    }

    void update(TenantId tenant, Row row) {
        jdbc.sql("""
                update deployments set model = ?, model_version = ?, output_mode = ?, score_precision = ?, top_k = ?,
                    unknown_categories = ?, max_batch = ?, daily_budget = ?, extraction_action = ?, region = ?,
                    policy_exceptions = ?, updated_at = ?,
                    updated_by = ?
                where tenant_id = ? and id = ?""")
                .param(row.model()).param(row.version()).param(row.output()).param(row.precision()).param(row.topK())
                .param(row.unknownCategories()).param(row.maxBatch()).param(row.dailyBudget()).param(row.extraction())
                .param(row.region()).param(exceptions(row)).param(at(row.updatedAt())).param(row.updatedBy())
                .param(tenant.value()).param(row.id()).update();
    }

    boolean delete(TenantId tenant, String name) {
        return jdbc.sql("delete from deployments where tenant_id = ? and name = ?").param(tenant.value()).param(name)
                .update() == 1;
    }

    private static Row map(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("model"),
                rs.getInt("model_version"), rs.getString("output_mode"), rs.getInt("score_precision"),
                (Integer) rs.getObject("top_k"), rs.getString("unknown_categories"), rs.getInt("max_batch"),
                (Integer) rs.getObject("daily_budget"), rs.getString("extraction_action"), rs.getString("region"),
                rs.getString("policy_exceptions") == null || rs.getString("policy_exceptions").isEmpty() ? List.of()
                        : List.of(rs.getString("policy_exceptions").split(",")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("created_by"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), rs.getString("updated_by"));
    }

    private static String exceptions(Row row) {
        return row.exceptions().isEmpty() ? null : String.join(",", row.exceptions());
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
