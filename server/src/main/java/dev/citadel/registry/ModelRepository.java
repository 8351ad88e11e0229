package dev.citadel.registry;

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

/** Models and their versions (tenant rows; every query names the tenant). */
@Repository
class ModelRepository {

    private final JdbcClient jdbc;

    ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record ModelRow(UUID id, String name, int nextVersion, Instant createdAt, String createdBy) {}

    record VersionRow(UUID modelId, String model, int version, Stage stage, String origin, String manifest,
            String signature, long signingKeyId, UUID jobId, String createdBy, Instant createdAt, String approvedBy,
            Instant approvedAt, String approvalReason, Instant stageChangedAt, String retrainReason) {}

    Optional<ModelRow> find(TenantId tenant, String name) {
        return jdbc.sql("select * from models where tenant_id = ? and name = ?").param(tenant.value()).param(name)
                .query(ModelRepository::mapModel).optional();
    }

    List<ModelRow> list(TenantId tenant) {
        return jdbc.sql("select * from models where tenant_id = ? order by name").param(tenant.value())
                .query(ModelRepository::mapModel).list();
    }

    void insert(TenantId tenant, ModelRow row) {
        jdbc.sql("insert into models (id, tenant_id, name, next_version, created_at, created_by) values (?, ?, ?, ?, ?, ?)")
                .param(row.id()).param(tenant.value()).param(row.name()).param(row.nextVersion()).param(at(row.createdAt()))
                .param(row.createdBy()).update();
    }

    int allocateVersion(TenantId tenant, UUID id) {
        int version = jdbc.sql("select next_version from models where tenant_id = ? and id = ? for update")
                .param(tenant.value()).param(id).query(Integer.class).single();
        jdbc.sql("update models set next_version = ? where tenant_id = ? and id = ?")
                .param(version + 1).param(tenant.value()).param(id).update();
        return version;
    }

    int latestVersion(TenantId tenant, UUID id) {
        return jdbc.sql("select coalesce(max(version), 0) from model_versions where tenant_id = ? and model_id = ?")
                .param(tenant.value()).param(id).query(Integer.class).single();
    }

    void insertVersion(TenantId tenant, VersionRow v) {
        jdbc.sql("""
                insert into model_versions (tenant_id, model_id, version, stage, origin, manifest, signature, signing_key_id,
                    job_id, created_by, created_at, stage_changed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .param(tenant.value()).param(v.modelId()).param(v.version()).param(v.stage().wireName()).param(v.origin())
                .param(v.manifest()).param(v.signature()).param(v.signingKeyId()).param(v.jobId()).param(v.createdBy())
                .param(at(v.createdAt())).param(at(v.stageChangedAt())).update();
    }

    private static final String VERSION_SELECT = """
            select v.*, m.name from model_versions v join models m on m.id = v.model_id and m.tenant_id = v.tenant_id
            where v.tenant_id = ?""";

    Optional<VersionRow> version(TenantId tenant, String model, int version) {
        return jdbc.sql(VERSION_SELECT + " and m.name = ? and v.version = ?").param(tenant.value()).param(model)
                .param(version).query(ModelRepository::mapVersion).optional();
    }

    Optional<VersionRow> versionOfJob(TenantId tenant, UUID jobId) {
        return jdbc.sql(VERSION_SELECT + " and v.job_id = ?").param(tenant.value()).param(jobId)
                .query(ModelRepository::mapVersion).optional();
    }

    List<VersionRow> versions(TenantId tenant, String model) {
        return jdbc.sql(VERSION_SELECT + " and m.name = ? order by v.version").param(tenant.value()).param(model)
                .query(ModelRepository::mapVersion).list();
    }

    List<VersionRow> allVersions(TenantId tenant) {
        return jdbc.sql(VERSION_SELECT + " order by m.name, v.version").param(tenant.value())
                .query(ModelRepository::mapVersion).list();
    }

    void requireRetraining(TenantId tenant, UUID modelId, int version, String reason) {
        jdbc.sql("update model_versions set retrain_reason = ? where tenant_id = ? and model_id = ? and version = ?")
                .param(reason).param(tenant.value()).param(modelId).param(version).update();
    }

    /** Moves a version from {@code from} to {@code to}; false when it was no longer in {@code from}. */
    boolean changeStage(TenantId tenant, UUID modelId, int version, Stage from, Stage to, Instant now) {
        return jdbc.sql("""
                update model_versions set stage = ?, stage_changed_at = ?
                where tenant_id = ? and model_id = ? and version = ? and stage = ?""")
                .param(to.wireName()).param(at(now)).param(tenant.value()).param(modelId).param(version)
                .param(from.wireName()).update() == 1;
    }

    boolean approve(TenantId tenant, UUID modelId, int version, String approver, String reason, Instant now) {
        return jdbc.sql("""
                update model_versions set stage = ?, stage_changed_at = ?, approved_by = ?, approved_at = ?, approval_reason = ?
                where tenant_id = ? and model_id = ? and version = ? and stage = ?""")
                .param(Stage.APPROVED.wireName()).param(at(now)).param(approver).param(at(now)).param(reason)
                .param(tenant.value()).param(modelId).param(version).param(Stage.CANDIDATE.wireName()).update() == 1;
    }

    private static ModelRow mapModel(ResultSet rs, int row) throws SQLException {
        return new ModelRow(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("next_version"),
                instant(rs, "created_at"), rs.getString("created_by"));
    }

    private static VersionRow mapVersion(ResultSet rs, int row) throws SQLException {
        return new VersionRow(rs.getObject("model_id", UUID.class), rs.getString("name"), rs.getInt("version"),
                Stage.fromWireName(rs.getString("stage")).orElseThrow(), rs.getString("origin"), rs.getString("manifest"),
                rs.getString("signature"), rs.getLong("signing_key_id"), rs.getObject("job_id", UUID.class),
                rs.getString("created_by"), instant(rs, "created_at"), rs.getString("approved_by"),
                instant(rs, "approved_at"), rs.getString("approval_reason"), instant(rs, "stage_changed_at"),
                rs.getString("retrain_reason"));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
