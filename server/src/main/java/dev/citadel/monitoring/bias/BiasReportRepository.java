package dev.citadel.monitoring.bias;

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

/** Bias reports (tenant rows; every query names the tenant). A report shares its id with its job. */
@Repository
class BiasReportRepository {

    static final String PENDING = "pending";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";

    private final JdbcClient jdbc;

    BiasReportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param plan   the checked request (JSON of {@link BiasPlan})
     * @param report the result (JSON of {@link BiasReport}) once it succeeded
     */
    record Row(UUID id, String model, int version, String attribute, String plan, String state, Boolean flagged,
            String report, String error, String createdBy, Instant createdAt, Instant finishedAt) {}

    void insert(TenantId tenant, Row row) {
        jdbc.sql("""
                insert into bias_reports (id, tenant_id, model, model_version, attribute, plan, state, created_by,
                    created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .param(row.id()).param(tenant.value()).param(row.model()).param(row.version()).param(row.attribute())
                .param(row.plan()).param(row.state()).param(row.createdBy()).param(at(row.createdAt())).update();
    }

    void succeed(TenantId tenant, UUID id, boolean flagged, String report, Instant at) {
        jdbc.sql("""
                update bias_reports set state = ?, flagged = ?, report = ?, error = null, finished_at = ?
                where tenant_id = ? and id = ?""")
                .param(SUCCEEDED).param(flagged).param(report).param(at(at)).param(tenant.value()).param(id).update();
    }

    void fail(TenantId tenant, UUID id, String error, Instant at) {
        jdbc.sql("update bias_reports set state = ?, error = ?, finished_at = ? where tenant_id = ? and id = ?")
                .param(FAILED).param(error.length() > 1000 ? error.substring(0, 1000) : error).param(at(at))
                .param(tenant.value()).param(id).update();
    }

    Optional<Row> find(TenantId tenant, UUID id) {
        return jdbc.sql("select * from bias_reports where tenant_id = ? and id = ?").param(tenant.value()).param(id)
                .query(BiasReportRepository::map).optional();
    }

    /** A model version's reports, newest first. */
    List<Row> list(TenantId tenant, String model, int version, int limit) {
        return jdbc.sql("""
                select * from bias_reports where tenant_id = ? and model = ? and model_version = ?
                order by created_at desc, id limit ?""")
                .param(tenant.value()).param(model).param(version).param(limit).query(BiasReportRepository::map).list();
    }

    private static Row map(ResultSet rs, int n) throws SQLException {
        OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
        return new Row(rs.getObject("id", UUID.class), rs.getString("model"), rs.getInt("model_version"),
                rs.getString("attribute"), rs.getString("plan"), rs.getString("state"), (Boolean) rs.getObject("flagged"),
                rs.getString("report"), rs.getString("error"), rs.getString("created_by"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), finished == null ? null : finished.toInstant());
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
