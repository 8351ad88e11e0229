package dev.citadel.datasets;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.datasets.ingest.ColumnSchema;
import dev.citadel.datasets.ingest.Expectations;
import dev.citadel.datasets.ingest.Finding;
import dev.citadel.datasets.ingest.ValidationReport;
import dev.citadel.platform.TenantId;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Datasets and versions (tenant rows; every query names the tenant). */
@Repository
class DatasetRepository {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    DatasetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record DatasetRow(UUID id, String name, String description, Expectations expectations, Map<String, String> policy,
            int nextVersion, Instant createdAt, String createdBy, Instant updatedAt) {}

    Optional<DatasetRow> find(TenantId tenant, String name, boolean forUpdate) {
        return jdbc.sql("select * from datasets where tenant_id = ? and name = ?" + (forUpdate ? " for update" : ""))
                .param(tenant.value()).param(name).query(DatasetRepository::mapDataset).optional();
    }

    List<DatasetRow> list(TenantId tenant) {
        return jdbc.sql("select * from datasets where tenant_id = ? order by name").param(tenant.value())
                .query(DatasetRepository::mapDataset).list();
    }

    void insert(TenantId tenant, DatasetRow row) {
        jdbc.sql("""
                insert into datasets (id, tenant_id, name, description, expectations, privacy_policy, next_version, created_at,
                    created_by, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .param(row.id()).param(tenant.value()).param(row.name()).param(row.description())
                .param(JSON.writeValueAsString(row.expectations())).param(JSON.writeValueAsString(row.policy()))
                .param(row.nextVersion()).param(at(row.createdAt())).param(row.createdBy()).param(at(row.updatedAt()))
                .update();
    }

    void updateDefinition(TenantId tenant, UUID id, String description, Expectations expectations, Instant now) {
        jdbc.sql("update datasets set description = ?, expectations = ?, updated_at = ? where tenant_id = ? and id = ?")
                .param(description).param(JSON.writeValueAsString(expectations)).param(at(now)).param(tenant.value())
                .param(id).update();
    }

    void updatePolicy(TenantId tenant, UUID id, Map<String, String> policy, Instant now) {
        jdbc.sql("update datasets set privacy_policy = ?, updated_at = ? where tenant_id = ? and id = ?")
                .param(JSON.writeValueAsString(new TreeMap<>(policy))).param(at(now)).param(tenant.value()).param(id).update();
    }

    int allocateVersion(TenantId tenant, UUID id) {
        int version = jdbc.sql("select next_version from datasets where tenant_id = ? and id = ? for update")
                .param(tenant.value()).param(id).query(Integer.class).single();
        jdbc.sql("update datasets set next_version = ? where tenant_id = ? and id = ?")
                .param(version + 1).param(tenant.value()).param(id).update();
        return version;
    }

    void insertVersion(TenantId tenant, UUID datasetId, Datasets.VersionView v) {
        jdbc.sql("""
                insert into dataset_versions (tenant_id, dataset_id, version, sha256, row_count, column_count, stored_bytes,
                    schema_json, findings_json, validation_json, kept_sensitive, source_format, created_at, created_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .param(tenant.value()).param(datasetId).param(v.version()).param(v.sha256()).param(v.rows())
                .param(v.columns()).param(v.storedBytes()).param(JSON.writeValueAsString(v.schema()))
                .param(JSON.writeValueAsString(v.findings())).param(JSON.writeValueAsString(v.validation()))
                .param(JSON.writeValueAsString(v.keptSensitive())).param(v.sourceFormat()).param(at(v.createdAt()))
                .param(v.createdBy()).update();
    }

    void deleteVersion(TenantId tenant, UUID datasetId, int version) {
        jdbc.sql("delete from dataset_versions where tenant_id = ? and dataset_id = ? and version = ?")
                .param(tenant.value()).param(datasetId).param(version).update();
    }

    void delete(TenantId tenant, UUID datasetId) {
        jdbc.sql("delete from dataset_versions where tenant_id = ? and dataset_id = ?").param(tenant.value())
                .param(datasetId).update();
        jdbc.sql("delete from datasets where tenant_id = ? and id = ?").param(tenant.value()).param(datasetId).update();
    }

    int latestVersion(TenantId tenant, UUID datasetId) {
        return jdbc.sql("select coalesce(max(version), 0) from dataset_versions where tenant_id = ? and dataset_id = ?")
                .param(tenant.value()).param(datasetId).query(Integer.class).single();
    }

    List<Datasets.VersionView> versions(TenantId tenant, UUID datasetId, String name) {
        return jdbc.sql("select * from dataset_versions where tenant_id = ? and dataset_id = ? order by version")
                .param(tenant.value()).param(datasetId).query((rs, n) -> mapVersion(rs, name)).list();
    }

    Optional<Datasets.VersionView> version(TenantId tenant, UUID datasetId, String name, int version) {
        return jdbc.sql("select * from dataset_versions where tenant_id = ? and dataset_id = ? and version = ?")
                .param(tenant.value()).param(datasetId).param(version).query((rs, n) -> mapVersion(rs, name)).optional();
    }

    private static DatasetRow mapDataset(ResultSet rs, int row) throws SQLException {
        String expectations = rs.getString("expectations");
        String policy = rs.getString("privacy_policy");
        return new DatasetRow(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("description"),
                expectations == null ? Expectations.NONE : JSON.readValue(expectations, Expectations.class),
                policy == null ? Map.of() : JSON.readValue(policy, new TypeReference<TreeMap<String, String>>() {}),
                rs.getInt("next_version"), instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "updated_at"));
    }

    private static Datasets.VersionView mapVersion(ResultSet rs, String name) throws SQLException {
        String kept = rs.getString("kept_sensitive");
        return new Datasets.VersionView(name, rs.getInt("version"), rs.getString("sha256"), rs.getLong("row_count"),
                rs.getInt("column_count"), rs.getLong("stored_bytes"),
                JSON.readValue(rs.getString("schema_json"), new TypeReference<List<ColumnSchema>>() {}),
                JSON.readValue(rs.getString("findings_json"), new TypeReference<List<Finding>>() {}),
                JSON.readValue(rs.getString("validation_json"), ValidationReport.class),
                kept == null ? List.of() : JSON.readValue(kept, new TypeReference<List<String>>() {}),
                rs.getString("source_format"), instant(rs, "created_at"), rs.getString("created_by"));
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
