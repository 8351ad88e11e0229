package dev.citadel.platform.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;

import dev.citadel.platform.Secret;
import dev.citadel.platform.config.CitadelProperties;
import dev.citadel.platform.config.DataDirectory;

/**
 * The metadata database: H2 under the data directory by default, PostgreSQL when
 * {@code CITADEL_DB_URL} is set. Migrations run before the pool opens, as the migration (owner)
 * role; the application then connects as a role that owns nothing, so PostgreSQL's forced
 * row-level security applies to every query it makes.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean
    DatabaseKind databaseKind(CitadelProperties properties) {
        return properties.db().isExternal() ? kindOf(properties.db().url()) : DatabaseKind.H2;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(CitadelProperties properties, DataDirectory dataDirectory, DatabaseKind kind) {
        CitadelProperties.Db db = properties.db();
        String url;
        String user;
        Secret password;
        if (db.isExternal()) {
            url = db.url();
            user = require(db.user(), "citadel.db.user (CITADEL_DB_USER)");
            password = db.password();
        } else {
            url = "jdbc:h2:file:" + dataDirectory.directory("db").resolve("citadel")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                    // H2 re-parses any statement not in its per-session cache (8 by default): a
                    // request's dozen statements evicted each other on every pooled connection
                    + ";QUERY_CACHE_SIZE=128";
            user = "citadel";
            password = null;
        }
        migrate(kind, url, db, user, password);

        HikariConfig config = new HikariConfig();
        config.setPoolName("citadel");
        config.setJdbcUrl(url);
        config.setUsername(user);
        if (password != null) {
            config.setPassword(password.reveal());
        }
        config.setMaximumPoolSize(db.poolSize());
        config.setAutoCommit(true);
        HikariDataSource dataSource = new HikariDataSource(config);
        if (kind == DatabaseKind.POSTGRESQL) {
            new PostgresRoleCheck(JdbcClient.create(dataSource)).verify(user);
        }
        return dataSource;
    }

    /** The audit group commit's own pool: a few connections, each commit serving many requests at once. */
    @Bean(destroyMethod = "close")
    WriterPool auditWriterPool(HikariDataSource dataSource, DatabaseKind kind) {
        return new WriterPool(dataSource, kind, "citadel-audit-writer", Math.min(4, dataSource.getMaximumPoolSize()));
    }

    @Bean
    AccessEpoch accessEpoch(JdbcClient jdbc) {
        return new AccessEpoch(jdbc);
    }

    @Bean
    TenantTransactions tenantTransactions(PlatformTransactionManager transactionManager, JdbcClient jdbc,
            DatabaseKind kind) {
        return new TenantTransactions(transactionManager, jdbc, kind);
    }

    private static void migrate(DatabaseKind kind, String url, CitadelProperties.Db db, String appUser, Secret appPassword) {
        String migrationUser = db.migrationUser() != null && !db.migrationUser().isBlank() ? db.migrationUser() : appUser;
        Secret migrationPassword = db.migrationUser() != null && !db.migrationUser().isBlank()
                ? db.migrationPassword() : appPassword;
        DataSource migrationSource = new DriverManagerDataSource(url, migrationUser,
                migrationPassword == null ? "" : migrationPassword.reveal());
        Flyway flyway = Flyway.configure()
                .dataSource(migrationSource)
                .locations("classpath:db/migration/common", kind.migrationLocation())
                .javaMigrations(JavaMigrations.all().toArray(JavaMigration[]::new))
                .placeholders(Map.of("app_role", appUser))
                .failOnMissingLocations(false)
                .load();
        var result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
            log.info("Database migrated to version {} ({} migrations applied)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    private static DatabaseKind kindOf(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return DatabaseKind.POSTGRESQL;
        }
        throw new IllegalStateException("citadel.db.url must be a jdbc:postgresql: URL (H2 is used when it is unset)");
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " must be set when citadel.db.url is set");
        }
        return value;
    }

    /**
     * Refuses to run PostgreSQL with a role that row-level security would not bind: a superuser, a
     * role with BYPASSRLS, or the owner of the tables.
     */
    record PostgresRoleCheck(JdbcClient jdbc) {

        void verify(String user) {
            List<String> problems = new ArrayList<>();
            Map<String, Object> role = jdbc.sql("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
                    .query().singleRow();
            if (Boolean.TRUE.equals(role.get("rolsuper"))) {
                problems.add("the application role '" + user + "' is a superuser");
            }
            if (Boolean.TRUE.equals(role.get("rolbypassrls"))) {
                problems.add("the application role '" + user + "' has BYPASSRLS");
            }
            List<String> owned = jdbc.sql("select tablename from pg_tables where schemaname = current_schema() "
                    + "and tableowner = current_user").query(String.class).list();
            if (!owned.isEmpty()) {
                problems.add("the application role '" + user + "' owns tables " + owned
                        + "; set CITADEL_DB_MIGRATION_USER to the owner role and CITADEL_DB_USER to a role that owns nothing");
            }
            List<String> inherited = jdbc.sql("""
                    select distinct tableowner from pg_tables
                    where schemaname = current_schema() and tableowner <> current_user
                      and pg_has_role(current_user, tableowner, 'MEMBER')
                    """).query(String.class).list();
            if (!inherited.isEmpty()) {
                problems.add("the application role '" + user + "' is a member of the table owner role(s) " + inherited
                        + " and could disable row-level security");
            }
            List<String> unprotected = jdbc.sql("""
                    select c.relname from pg_class c
                    join pg_namespace n on n.oid = c.relnamespace
                    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
                    where n.nspname = current_schema() and c.relkind = 'r'
                      and not (c.relrowsecurity and c.relforcerowsecurity)
                    """).query(String.class).list();
            if (!unprotected.isEmpty()) {
                problems.add("tenant tables without forced row-level security: " + unprotected);
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("Unsafe PostgreSQL configuration: " + String.join("; ", problems)
                        + ". See docs/operations.md#postgresql.");
            }
        }
    }
}
