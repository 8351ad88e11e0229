package dev.citadel.monitoring.drift;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.citadel.platform.TenantId;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reference summaries and closed windows (tenant rows; every query names the tenant). */
@Repository
class DriftRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<FeatureFigures>> FIGURES = new TypeReference<>() {};

    private final JdbcClient jdbc;

    DriftRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored reference: ready with its summary, or unavailable with the reason. */
    record StoredReference(Reference reference, String unavailable, Instant computedAt) {}

    Optional<StoredReference> reference(TenantId tenant, String model, int version) {
        return jdbc.sql("""
                select status, reason, summary, computed_at from drift_references
                where tenant_id = ? and model = ? and model_version = ?""")
                .param(tenant.value()).param(model).param(version)
                .query((rs, n) -> new StoredReference(
                        "ready".equals(rs.getString("status")) ? JSON.readValue(rs.getString("summary"), Reference.class) : null,
                        rs.getString("reason"), rs.getObject("computed_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /**
     * Records a version's reference once; returns false when it was already there (another thread or
     * server computed the same summary first).
     */
    boolean insertReference(TenantId tenant, String model, int version, Reference reference, String unavailable,
            Instant computedAt) {
        if (reference(tenant, model, version).isPresent()) {
            return false;
        }
        return jdbc.sql("""
                insert into drift_references (tenant_id, model, model_version, status, reason, dataset, dataset_version,
                    dataset_sha256, rows_read, summary, computed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .param(tenant.value()).param(model).param(version).param(reference == null ? "unavailable" : "ready")
                .param(unavailable).param(reference == null ? null : reference.dataset())
                .param(reference == null ? null : reference.datasetVersion())
                .param(reference == null ? null : reference.datasetSha256())
                .param(reference == null ? null : reference.rows())
                .param(reference == null ? null : JSON.writeValueAsString(reference)).param(at(computedAt))
                .update() == 1;
    }

    /** Appends a closed window; {@code seq} orders a deployment's windows even when they close in the same instant. */
    void insertWindow(TenantId tenant, String deployment, DriftWindow window) {
        long seq = jdbc.sql("select coalesce(max(seq), 0) + 1 from drift_windows where tenant_id = ? and deployment = ?")
                .param(tenant.value()).param(deployment).query(Long.class).single();
        jdbc.sql("""
                insert into drift_windows (id, tenant_id, deployment, seq, model, model_version, started_at, ended_at,
                    instances, drifted, figures)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .param(UUID.randomUUID()).param(tenant.value()).param(deployment).param(seq).param(window.model())
                .param(window.version()).param(at(window.start())).param(at(window.end())).param(window.instances())
                .param(window.drifted()).param(JSON.writeValueAsString(window.features())).update();
    }

    /** The deployment's latest windows, newest first. */
    List<DriftWindow> windows(TenantId tenant, String deployment, int limit) {
        return jdbc.sql("""
                select * from drift_windows where tenant_id = ? and deployment = ?
                order by seq desc limit ?""")
                .param(tenant.value()).param(deployment).param(limit)
                .query((rs, n) -> new DriftWindow(rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("ended_at", OffsetDateTime.class).toInstant(), rs.getString("model"),
                        rs.getInt("model_version"), rs.getLong("instances"), rs.getBoolean("drifted"),
                        JSON.readValue(rs.getString("figures"), FIGURES)))
                .list();
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
