package dev.citadel.compliance.policy;

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
import dev.citadel.platform.policy.Gate;

/** Policies, policy settings and recorded gate inputs; every query names its tenant. */
@Repository
public class PolicyRepository {

    private final JdbcClient jdbc;

    PolicyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Policy> list(TenantId owner) {
        return jdbc.sql("select * from policies where tenant_id = ? order by id").param(owner.value())
                .query((rs, n) -> policy(owner, rs)).list();
    }

    public Optional<Policy> find(TenantId owner, String id) {
        return jdbc.sql("select * from policies where tenant_id = ? and id = ?").param(owner.value()).param(id)
                .query((rs, n) -> policy(owner, rs)).optional();
    }

    /** Inserts or replaces; answers whether the policy was new. */
    public boolean save(TenantId owner, Policy policy) {
        int updated = jdbc.sql("""
                update policies set gate = ?, description = ?, expression = ?, effect = ?, message = ?, enabled = ?,
                    updated_at = ?, updated_by = ? where tenant_id = ? and id = ?""")
                .params(policy.gate().wireName(), policy.description(), policy.expression(), policy.effect().wireName(),
                        policy.message(), policy.enabled(), at(policy.updatedAt()), policy.updatedBy(), owner.value(),
                        policy.id())
                .update();
        if (updated > 0) {
            return false;
        }
        jdbc.sql("""
                insert into policies (tenant_id, id, gate, description, expression, effect, message, enabled, updated_at,
                    updated_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(owner.value(), policy.id(), policy.gate().wireName(), policy.description(), policy.expression(),
                        policy.effect().wireName(), policy.message(), policy.enabled(), at(policy.updatedAt()),
                        policy.updatedBy())
                .update();
        return true;
    }

    public boolean delete(TenantId owner, String id) {
        return jdbc.sql("delete from policies where tenant_id = ? and id = ?").param(owner.value()).param(id).update() > 0;
    }

    public Optional<Double> minAccuracy(TenantId tenant) {
        return jdbc.sql("select min_accuracy from policy_settings where tenant_id = ?").param(tenant.value())
                .query((rs, n) -> {
                    double value = rs.getDouble(1);
                    return rs.wasNull() ? null : value;
                }).optional();
    }

    public void saveMinAccuracy(TenantId tenant, Double minAccuracy, Instant now, String actor) {
        int updated = jdbc.sql("update policy_settings set min_accuracy = ?, updated_at = ?, updated_by = ? where tenant_id = ?")
                .params(minAccuracy, at(now), actor, tenant.value()).update();
        if (updated == 0) {
            jdbc.sql("insert into policy_settings (tenant_id, min_accuracy, updated_at, updated_by) values (?, ?, ?, ?)")
                    .params(tenant.value(), minAccuracy, at(now), actor).update();
        }
    }

    /** A recorded gate input. */
    public record RecordedInput(UUID id, Gate gate, String outcome, String policies, String input, Instant recordedAt) {}

    public void record(TenantId tenant, RecordedInput input, int keep) {
        jdbc.sql("""
                insert into policy_inputs (tenant_id, id, gate, outcome, policies, input, recorded_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(tenant.value(), input.id(), input.gate().wireName(), input.outcome(), input.policies(),
                        input.input(), at(input.recordedAt()))
                .update();
        // keep the newest `keep`
        jdbc.sql("""
                delete from policy_inputs where tenant_id = ? and seq < (
                    select min(seq) from (select seq from policy_inputs where tenant_id = ?
                        order by seq desc limit ?) newest)""")
                .params(tenant.value(), tenant.value(), keep).update();
    }

    public List<RecordedInput> recorded(TenantId tenant, Gate gate, int limit) {
        if (gate == null) {
            return jdbc.sql("select * from policy_inputs where tenant_id = ? order by seq desc limit ?")
                    .params(tenant.value(), limit).query((rs, n) -> recordedInput(rs)).list();
        }
        return jdbc.sql("select * from policy_inputs where tenant_id = ? and gate = ? order by seq desc limit ?")
                .params(tenant.value(), gate.wireName(), limit).query((rs, n) -> recordedInput(rs)).list();
    }

    public Optional<RecordedInput> recorded(TenantId tenant, UUID id) {
        return jdbc.sql("select * from policy_inputs where tenant_id = ? and id = ?").param(tenant.value()).param(id)
                .query((rs, n) -> recordedInput(rs)).optional();
    }

    private static RecordedInput recordedInput(ResultSet rs) throws SQLException {
        return new RecordedInput(rs.getObject("id", UUID.class), Gate.fromWireName(rs.getString("gate")).orElseThrow(),
                rs.getString("outcome"), rs.getString("policies"), rs.getString("input"), instant(rs, "recorded_at"));
    }

    private static Policy policy(TenantId owner, ResultSet rs) throws SQLException {
        return new Policy(rs.getString("id"), owner.equals(TenantId.PLATFORM) ? Policy.PLATFORM : Policy.TENANT,
                Gate.fromWireName(rs.getString("gate")).orElseThrow(), rs.getString("description"),
                rs.getString("expression"), Policy.Effect.valueOf(rs.getString("effect").toUpperCase(java.util.Locale.ROOT)),
                rs.getString("message"), rs.getBoolean("enabled"), false, instant(rs, "updated_at"),
                rs.getString("updated_by"));
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
