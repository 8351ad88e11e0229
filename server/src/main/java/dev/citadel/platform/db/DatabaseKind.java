package dev.citadel.platform.db;

/** Which metadata database Citadel runs on; PostgreSQL adds row-level security as a second wall. */
public enum DatabaseKind {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String flywayVendor;

    DatabaseKind(String flywayVendor) {
        this.flywayVendor = flywayVendor;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + flywayVendor;
    }
}
