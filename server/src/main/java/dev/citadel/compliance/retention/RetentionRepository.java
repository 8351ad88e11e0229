package dev.citadel.compliance.retention;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.platform.TenantId;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Retention settings, one row per tenant that has any. */
@Repository
public class RetentionRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    RetentionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A tenant's retention: days for dataset versions (null: kept until erased), overrides, audit years. */
    public record Settings(Integer datasetVersionDays, Map<String, Integer> datasets, Integer auditYears,
            Instant lastRunAt, Integer lastRunDeleted) {}

    public Optional<Settings> find(TenantId tenant) {
        return jdbc.sql("select * from retention_settings where tenant_id = ?").param(tenant.value()).query((rs, n) -> {
            String overrides = rs.getString("dataset_overrides");
            OffsetDateTime lastRun = rs.getObject("last_run_at", OffsetDateTime.class);
            return new Settings((Integer) rs.getObject("dataset_version_days"),
                    overrides == null ? Map.of() : JSON.readValue(overrides, new TypeReference<TreeMap<String, Integer>>() {}),
                    (Integer) rs.getObject("audit_years"), lastRun == null ? null : lastRun.toInstant(),
                    (Integer) rs.getObject("last_run_deleted"));
        }).optional();
    }

    public void save(TenantId tenant, Settings settings, Instant now, String actor) {
        String overrides = settings.datasets().isEmpty() ? null : JSON.writeValueAsString(new TreeMap<>(settings.datasets()));
        int updated = jdbc.sql("""
                update retention_settings set dataset_version_days = ?, dataset_overrides = ?, audit_years = ?,
                    updated_at = ?, updated_by = ? where tenant_id = ?""")
                .params(settings.datasetVersionDays(), overrides, settings.auditYears(), at(now), actor, tenant.value())
                .update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into retention_settings (tenant_id, dataset_version_days, dataset_overrides, audit_years,
                        updated_at, updated_by) values (?, ?, ?, ?, ?, ?)""")
                    .params(tenant.value(), settings.datasetVersionDays(), overrides, settings.auditYears(), at(now), actor)
                    .update();
        }
    }

    public void recordRun(TenantId tenant, Instant at, int deleted) {
        jdbc.sql("update retention_settings set last_run_at = ?, last_run_deleted = ? where tenant_id = ?")
                .params(at(at), deleted, tenant.value()).update();
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
