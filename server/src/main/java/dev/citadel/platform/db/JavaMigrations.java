package dev.citadel.platform.db;

import java.util.List;

import org.flywaydb.core.api.migration.JavaMigration;

/**
 * The migrations written in Java (beside the SQL ones under {@code db/migration}): what Flyway runs
 * at start-up, and what a backup's schema version counts.
 */
public final class JavaMigrations {

    private JavaMigrations() {}

    /** Every Java migration, for every database kind. */
    public static List<JavaMigration> all() {
        return List.of(new AuditEventIdNotUnique());
    }
}
