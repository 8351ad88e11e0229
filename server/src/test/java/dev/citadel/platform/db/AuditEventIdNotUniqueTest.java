package dev.citadel.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.citadel.support.IntegrationTest;

/**
 * Migration 23 on H2 and on PostgreSQL: the unique constraint on the random event id is gone, and
 * what keeps a tenant's chain from forking — the primary key on (tenant, sequence) — is still there.
 */
class AuditEventIdNotUniqueTest extends IntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void theEventIdIsNoLongerUniqueAndTheChainKeyStillIs() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(AuditEventIdNotUnique.uniqueOnEventId(connection)).isEmpty();
        }
        List<String> primaryKey = jdbc.sql("""
                        select lower(k.column_name)
                        from information_schema.table_constraints tc
                        join information_schema.key_column_usage k
                          on k.constraint_schema = tc.constraint_schema and k.constraint_name = tc.constraint_name
                        where lower(tc.table_name) = 'audit_events' and tc.constraint_type = 'PRIMARY KEY'
                          and tc.table_schema = current_schema
                        order by k.ordinal_position
                        """).query(String.class).list();
        assertThat(primaryKey).containsExactly("tenant_id", "seq");
    }
}
