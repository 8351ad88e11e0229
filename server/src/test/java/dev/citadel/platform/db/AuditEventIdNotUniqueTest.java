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
            assertThat(AuditEventIdNotUnique.constraints(connection, "UNIQUE").values())
                    .doesNotContain(List.of("event_id"));
            assertThat(AuditEventIdNotUnique.constraints(connection, "PRIMARY KEY").values())
                    .containsExactly(List.of("tenant_id", "seq"));
        }
    }
}
