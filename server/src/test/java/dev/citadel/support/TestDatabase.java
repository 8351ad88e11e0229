package dev.citadel.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database the suite runs on: H2 (default) or a real PostgreSQL when the system property
 * {@code citadel.test.db=postgresql} is set — {@code CITADEL_TEST_PG_URL} (a superuser JDBC URL
 * with user and password parameters) when set, otherwise an embedded PostgreSQL 17 started once
 * per JVM. On PostgreSQL two roles are created: {@code citadel_owner} runs migrations and owns the
 * tables, {@code citadel_app} (no superuser, no BYPASSRLS) is what the application connects as.
 */
public final class TestDatabase {

    public static final String OWNER = "citadel_owner";
    public static final String APP = "citadel_app";
    public static final String PASSWORD = "test-only-password";
    private static volatile Postgres postgres;

    private TestDatabase() {}

    public static boolean isPostgres() {
        return "postgresql".equals(System.getProperty("citadel.test.db", "h2"));
    }

    /** A PostgreSQL server with a fresh database {@code dbName} set up for Citadel. */
    public record Postgres(String superuserUrl, String host, int port, String superuser, String superuserPassword) {

        public String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public Connection connect(String database, String user, String password) throws SQLException {
            return DriverManager.getConnection(url(database), user, password);
        }
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = startPostgres();
        }
        return postgres;
    }

    /** Creates (or recreates) a database owned by the owner role, and the two roles if missing. */
    public static Map<String, String> createDatabase(String database) {
        Postgres pg = postgres();
        try (Connection c = DriverManager.getConnection(pg.superuserUrl(), pg.superuser(), pg.superuserPassword());
                Statement s = c.createStatement()) {
            s.execute("do $$ begin "
                    + "if not exists (select 1 from pg_roles where rolname = '" + OWNER + "') then "
                    + "create role " + OWNER + " login password '" + PASSWORD + "'; end if; "
                    + "if not exists (select 1 from pg_roles where rolname = '" + APP + "') then "
                    + "create role " + APP + " login nosuperuser nobypassrls password '" + PASSWORD + "'; end if; "
                    + "end $$");
            s.execute("drop database if exists " + database + " with (force)");
            s.execute("create database " + database + " owner " + OWNER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the PostgreSQL test database", e);
        }
        try (Connection c = pg.connect(database, pg.superuser(), pg.superuserPassword()); Statement s = c.createStatement()) {
            s.execute("alter schema public owner to " + OWNER);
            s.execute("revoke all on schema public from public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the PostgreSQL test schema", e);
        }
        return Map.of(
                "citadel.db.url", pg.url(database),
                "citadel.db.user", APP,
                "citadel.db.password", PASSWORD,
                "citadel.db.migration-user", OWNER,
                "citadel.db.migration-password", PASSWORD,
                "citadel.db.pool-size", "4");
    }

    private static Postgres startPostgres() {
        String external = System.getenv("CITADEL_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            java.net.URI uri = java.net.URI.create(external.substring("jdbc:".length()));
            Map<String, String> query = new java.util.HashMap<>();
            if (uri.getQuery() != null) {
                for (String pair : uri.getQuery().split("&")) {
                    String[] kv = pair.split("=", 2);
                    query.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            }
            return new Postgres(external, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                    query.getOrDefault("user", "postgres"), query.getOrDefault("password", ""));
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
            return new Postgres(embedded.getJdbcUrl("postgres", "postgres"), "localhost", embedded.getPort(), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }
}
