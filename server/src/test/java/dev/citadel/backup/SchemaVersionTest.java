package dev.citadel.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

import dev.citadel.platform.db.DatabaseKind;
import dev.citadel.platform.db.JavaMigrations;

/**
 * A backup records the schema version its release migrates to, and a restore refuses another one:
 * that version must count the migrations written in Java too, or a backup taken after one of them
 * would claim the schema from before it.
 */
class SchemaVersionTest {

    @Test
    void theSchemaVersionCountsJavaMigrations() {
        for (DatabaseKind kind : DatabaseKind.values()) {
            MigrationVersion recorded = MigrationVersion.fromVersion(BackupJob.schemaVersion(kind));
            assertThat(JavaMigrations.all()).isNotEmpty().allSatisfy(migration ->
                    assertThat(recorded).as(kind.name()).isGreaterThanOrEqualTo(migration.getVersion()));
        }
    }
}
