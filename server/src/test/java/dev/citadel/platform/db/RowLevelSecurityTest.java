package dev.citadel.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.support.Api;
import dev.citadel.support.Fixtures;
import dev.citadel.support.IntegrationTest;
import dev.citadel.support.TestDatabase;

/**
 * PostgreSQL row-level security as the second wall: queries that forget their own tenant filter, run
 * with no tenant context or another tenant's, see none of a tenant's rows; the application role
 * cannot get around it; and a pooled connection never carries one transaction's tenant into the next.
 */
@Tag("postgresql")
class RowLevelSecurityTest extends IntegrationTest {

    private static final List<String> TENANT_TABLES = List.of("service_accounts", "tenant_members", "audit_events",
            "audit_heads");

    @Autowired
    DataSource applicationPool;

    private Fixtures.RoleTenant a;
    private Fixtures.RoleTenant b;

    @BeforeEach
    void twoTenantsWithRows() {
        a = fx.tenantWithAllRoles("rls-a");
        b = fx.tenantWithAllRoles("rls-b");
        for (Fixtures.RoleTenant t : List.of(a, b)) {
            assertThat(api.post("/api/v1/tenants/" + t.id() + "/service-accounts", fx.token(t.member("tenant-admin")),
                    Api.json("name", "app-of-" + t.id().substring(0, 5), "roles", List.of("viewer"))).status()).isEqualTo(201);
        }
    }

    @Test
    void withoutATenantContextTheApplicationRoleSeesNoTenantRows() throws SQLException {
        try (Connection app = appConnection()) {
            for (String table : TENANT_TABLES) {
                assertThat(count(app, "select count(*) from " + table)).as(table).isZero();
            }
        }
        try (Connection owner = ownerConnection()) {
            assertThat(count(owner, "select count(*) from service_accounts")).as("FORCE binds even the owner").isZero();
        }
        try (Connection superuser = superuserConnection()) {
            assertThat(count(superuser, "select count(*) from service_accounts")).as("the rows exist")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void anotherTenantsContextSeesNoneOfThisTenantsRowsEvenWithoutAFilter() throws SQLException {
        try (Connection app = appConnection()) {
            app.setAutoCommit(false);
            setTenant(app, b.id());
            for (String table : TENANT_TABLES) {
                assertThat(count(app, "select count(*) from " + table + " where tenant_id = '" + a.id() + "'"))
                        .as(table).isZero();
                assertThat(strings(app, "select distinct tenant_id from " + table)).as(table).containsOnly(b.id());
            }
            app.rollback();
        }
    }

    @Test
    void writesIntoAnotherTenantAreRefused() throws SQLException {
        try (Connection app = appConnection()) {
            app.setAutoCommit(false);
            setTenant(app, b.id());
            try (Statement s = app.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("insert into tenant_members (tenant_id, principal_id, principal_kind, "
                        + "role, granted_at, granted_by) values ('" + a.id() + "', gen_random_uuid(), 'user', 'tenant-admin', "
                        + "now(), 'attacker')")).hasMessageContaining("row-level security");
            }
            app.rollback();
            setTenant(app, b.id());
            try (Statement s = app.createStatement()) {
                assertThat(s.executeUpdate("update service_accounts set disabled = true where tenant_id = '" + a.id() + "'"))
                        .isZero();
                assertThat(s.executeUpdate("delete from tenant_members where tenant_id = '" + a.id() + "'")).isZero();
            }
            app.rollback();
        }
    }

    @Test
    void theApplicationRoleIsNotPrivilegedAndOwnsNothingAndAuditIsAppendOnly() throws SQLException {
        try (Connection app = appConnection()) {
            assertThat(strings(app, "select rolsuper::text || rolbypassrls::text from pg_roles where rolname = current_user"))
                    .containsExactly("falsefalse");
            assertThat(count(app, "select count(*) from pg_tables where schemaname = 'public' and tableowner = current_user"))
                    .isZero();
            assertThat(strings(app, """
                    select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
                    where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
                      and not (c.relrowsecurity and c.relforcerowsecurity)""")).isEmpty();
            app.setAutoCommit(false);
            setTenant(app, a.id());
            try (Statement s = app.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("update audit_events set actor = 'someone-else'"))
                        .hasMessageContaining("permission denied");
            }
            app.rollback();
            setTenant(app, a.id());
            try (Statement s = app.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("delete from audit_events")).hasMessageContaining("permission denied");
            }
            app.rollback();
        }
    }

    @Test
    void evenTheOwnerCannotRewriteTheAuditTrailAndTheApplicationCannotTouchCheckpoints() throws SQLException {
        try (Connection app = appConnection()) {
            app.setAutoCommit(false);
            setTenant(app, a.id());
            try (Statement s = app.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("update audit_checkpoints set tree_size = 0"))
                        .hasMessageContaining("permission denied");
            }
            app.rollback();
        }
        try (Connection owner = ownerConnection(); Statement s = owner.createStatement()) {
            for (String sql : List.of("update audit_events set actor = 'x'", "delete from audit_events",
                    "truncate audit_events", "update audit_checkpoints set key_id = 'x'", "delete from audit_checkpoints")) {
                assertThatThrownBy(() -> s.executeUpdate(sql)).as(sql).hasMessageContaining("append-only");
            }
        }
    }

    @Test
    void alternatingTenantsOverASmallPoolNeverShowsAWrongTenantsRow() throws SQLException {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Fixtures.RoleTenant tenant = i % 2 == 0 ? a : b;
            Fixtures.RoleTenant otherTenant = i % 2 == 0 ? b : a;
            Api.Response response = api.get("/api/v1/tenants/" + tenant.id() + "/service-accounts",
                    fx.token(tenant.member("tenant-admin")));
            if (response.status() != 200 || response.body().contains(otherTenant.id())) {
                failures.add(i + ": " + response);
            }
        }
        assertThat(failures).isEmpty();
        Set<String> leftovers = new HashSet<>();
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Connection pooled = applicationPool.getConnection();
                borrowed.add(pooled);
                leftovers.addAll(strings(pooled, "select coalesce(current_setting('citadel.tenant_id', true), '')"));
            }
        } finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
        assertThat(leftovers).as("no tenant setting survives its transaction").containsOnly("");
    }

    private static Connection appConnection() throws SQLException {
        return TestDatabase.postgres().connect("citadel_suite", TestDatabase.APP, TestDatabase.PASSWORD);
    }

    private static Connection ownerConnection() throws SQLException {
        return TestDatabase.postgres().connect("citadel_suite", TestDatabase.OWNER, TestDatabase.PASSWORD);
    }

    private static Connection superuserConnection() throws SQLException {
        TestDatabase.Postgres pg = TestDatabase.postgres();
        return pg.connect("citadel_suite", pg.superuser(), pg.superuserPassword());
    }

    private static void setTenant(Connection connection, String tenant) throws SQLException {
        try (var statement = connection.prepareStatement("select set_config('citadel.tenant_id', ?, true)")) {
            statement.setString(1, tenant);
            statement.executeQuery().close();
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
