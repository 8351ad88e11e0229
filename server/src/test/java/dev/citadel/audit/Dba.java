package dev.citadel.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.citadel.support.TestDatabase;

/**
 * Someone with direct access to the database, tampering with the audit tables behind Citadel's
 * back. On PostgreSQL that takes a superuser who switches the append-only triggers off for the
 * session ({@code session_replication_role = replica}) — the application role cannot do it at
 * all; on the embedded H2 database the files' owner can do anything.
 */
final class Dba {

    private final JdbcClient h2;

    Dba(JdbcClient h2) {
        this.h2 = h2;
    }

    void execute(String sql, Object... params) {
        if (!TestDatabase.isPostgres()) {
            var statement = h2.sql(sql);
            for (Object param : params) {
                statement = statement.param(param);
            }
            statement.update();
            return;
        }
        TestDatabase.Postgres pg = TestDatabase.postgres();
        try (Connection c = pg.connect("citadel_suite", pg.superuser(), pg.superuserPassword())) {
            try (Statement s = c.createStatement()) {
                s.execute("set session_replication_role = replica");
            }
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    statement.setObject(i + 1, params[i]);
                }
                statement.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
