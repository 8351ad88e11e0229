package dev.citadel.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 23: drops the unique constraint on {@code audit_events.event_id} (ADR 0041).
 *
 * <p>An event id is a random (version 4) UUID the server draws for each entry; nothing looks an
 * entry up by it, and the chain's integrity rests on the primary key {@code (tenant_id, seq)} and
 * the hashes, not on it. Checking a random key against a unique index on every append touched a
 * random page of an ever-growing index and was about a twentieth of the secured prediction path.
 *
 * <p>A Java migration because the embedded database names an unnamed constraint itself: the
 * constraint is found in the information schema (the same query on H2 and PostgreSQL) and dropped
 * by that name.
 */
final class AuditEventIdNotUnique implements JavaMigration {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("23");
    }

    @Override
    public String getDescription() {
        return "audit event id not unique";
    }

    @Override
    public Integer getChecksum() {
        return 23;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        for (String name : uniqueOnEventId(connection)) {
            // an identifier cannot be a bind parameter: the name comes from the catalogue and must be
            // a plain one (H2's CONSTRAINT_8A, PostgreSQL's audit_events_event_id_key)
            if (!PLAIN_NAME.matcher(name).matches()) {
                throw new IllegalStateException("unexpected constraint name on audit_events.event_id: " + name);
            }
            try (Statement drop = connection.createStatement()) {
                drop.execute("alter table audit_events drop constraint \"" + name + "\"");
            }
        }
    }

    /** The unique constraints on {@code audit_events} whose only column is {@code event_id}. */
    static List<String> uniqueOnEventId(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        constraints(connection, "UNIQUE").forEach((name, columns) -> {
            if (columns.equals(List.of("event_id"))) {
                names.add(name);
            }
        });
        return names;
    }

    /** The constraints of one type on {@code audit_events}: each name with its columns in key order, lower case. */
    static Map<String, List<String>> constraints(Connection connection, String type) throws SQLException {
        Map<String, List<String>> constraints = new LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                select tc.constraint_name, lower(k.column_name)
                from information_schema.table_constraints tc
                join information_schema.key_column_usage k
                  on k.constraint_schema = tc.constraint_schema and k.constraint_name = tc.constraint_name
                where lower(tc.table_name) = 'audit_events' and tc.constraint_type = ?
                  and tc.table_schema = current_schema
                order by tc.constraint_name, k.ordinal_position
                """)) {
            query.setString(1, type);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    constraints.computeIfAbsent(rows.getString(1), name -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        return constraints;
    }
}
