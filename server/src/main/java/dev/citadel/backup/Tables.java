package dev.citadel.backup;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The metadata tables as a backup sees them: which are backed up, in what order (a table after
 * the tables it references), which belong to a tenant, and how a column's value travels as JSON.
 *
 * <p>A table with a {@code tenant_id} column is the tenant's and goes into the tenant's own file,
 * except the evidence that outlives an erased tenant (its audit trail, key tombstones and erasure
 * certificates), which goes into the platform file like every table without a tenant. Identity
 * columns are left out and numbered afresh on restore, in the same order.
 */
final class Tables {

    /** Rebuilt or short-lived state that a restore starts without. */
    static final Set<String> SKIPPED = Set.of("flyway_schema_history", "rate_limit_buckets", "login_attempts", "access_epoch",
            "webhook_delivery_queue", "blob_replica_repairs", "blob_replica_scrubs");

    /** A tenant's evidence: kept when the tenant is erased, so it lives in the platform file. */
    static final Set<String> EVIDENCE = Set.of("audit_events", "audit_checkpoints", "audit_heads", "tenant_keys",
            "erasure_certificates");

    /** Not a JDBC type: a UUID column, bound as a {@link java.util.UUID} on every database. */
    static final int UUID_TYPE = 100_001;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * One table: its name, its backed-up columns with their JDBC types, whether rows belong to a
     * tenant, and the identity column they are ordered by (or {@code null}).
     */
    record Table(String name, List<String> columns, List<Integer> types, boolean tenantScoped, String orderBy) {

        boolean inTenantFile() {
            return tenantScoped && !EVIDENCE.contains(name);
        }

        String select(boolean byTenant) {
            return "select " + String.join(", ", columns) + " from " + name + (byTenant ? " where tenant_id = ?" : "")
                    + (orderBy == null ? "" : " order by " + orderBy);
        }

        String insert() {
            return "insert into " + name + " (" + String.join(", ", columns) + ") values ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        }
    }

    private Tables() {}

    /** Every backed-up table of the connection's schema, each after the tables it references. */
    static List<Table> ordered(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = connection.getSchema();
        Map<String, Set<String>> references = new TreeMap<>();
        try (ResultSet tables = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                String name = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!SKIPPED.contains(name)) {
                    references.put(name, new TreeSet<>());
                }
            }
        }
        for (String table : references.keySet()) {
            try (ResultSet keys = meta.getImportedKeys(null, schema, identifier(meta, table))) {
                while (keys.next()) {
                    String target = keys.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!target.equals(table)) {
                        references.get(table).add(target);
                    }
                }
            }
        }
        List<Table> ordered = new ArrayList<>();
        Set<String> placed = new TreeSet<>();
        while (placed.size() < references.size()) {
            boolean progress = false;
            for (Map.Entry<String, Set<String>> entry : references.entrySet()) {
                if (!placed.contains(entry.getKey()) && placed.containsAll(entry.getValue())) {
                    ordered.add(describe(connection, entry.getKey()));
                    placed.add(entry.getKey());
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("the tables' foreign keys form a cycle: cannot order a backup");
            }
        }
        Map<String, Table> byName = new LinkedHashMap<>();
        ordered.forEach(t -> byName.put(t.name(), t));
        // the platform file is restored before the tenants' files, so nothing in it may need their rows
        for (Table table : ordered) {
            if (!table.inTenantFile()) {
                for (String target : references.get(table.name())) {
                    if (byName.containsKey(target) && byName.get(target).inTenantFile()) {
                        throw new IllegalStateException("table " + table.name() + " (platform file) references "
                                + target + " (tenant files): the backup format cannot restore that order");
                    }
                }
            }
        }
        return ordered;
    }

    private static Table describe(Connection connection, String name) throws SQLException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalStateException("unexpected table name " + name);
        }
        List<String> columns = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        boolean tenantScoped = false;
        String identity = null;
        try (PreparedStatement statement = connection.prepareStatement("select * from " + name + " where 1 = 0");
                ResultSet rs = statement.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String column = meta.getColumnName(i).toLowerCase(Locale.ROOT);
                if (!NAME.matcher(column).matches()) {
                    throw new IllegalStateException("unexpected column name " + name + "." + column);
                }
                if (column.equals("tenant_id")) {
                    tenantScoped = true;
                }
                if (meta.isAutoIncrement(i)) {
                    identity = column;
                    continue;
                }
                columns.add(column);
                types.add(type(meta.getColumnTypeName(i), meta.getColumnType(i)));
            }
        }
        return new Table(name, List.copyOf(columns), List.copyOf(types), tenantScoped, identity);
    }

    /** The JDBC type, with the drivers' quirks evened out (PostgreSQL reports timestamptz as TIMESTAMP). */
    private static int type(String name, int jdbcType) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lower.equals("uuid")) {
            return UUID_TYPE;
        }
        if (lower.equals("timestamptz") || lower.contains("with time zone")) {
            return Types.TIMESTAMP_WITH_TIMEZONE;
        }
        return jdbcType;
    }

    private static String identifier(DatabaseMetaData meta, String name) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
    }

    /** The current row as a JSON array, in the table's column order. */
    static ArrayNode row(Table table, ResultSet rs) throws SQLException {
        ArrayNode row = NODES.arrayNode(table.columns().size());
        for (int i = 0; i < table.columns().size(); i++) {
            int column = i + 1;
            switch (table.types().get(i)) {
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
                    byte[] bytes = rs.getBytes(column);
                    row.add(bytes == null ? null : Base64.getEncoder().encodeToString(bytes));
                }
                case Types.TIMESTAMP_WITH_TIMEZONE -> {
                    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
                    row.add(value == null ? null : value.toString());
                }
                case Types.TIMESTAMP -> {
                    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
                    row.add(value == null ? null : value.toString());
                }
                case Types.DATE -> {
                    LocalDate value = rs.getObject(column, LocalDate.class);
                    row.add(value == null ? null : value.toString());
                }
                case Types.BOOLEAN, Types.BIT -> {
                    boolean value = rs.getBoolean(column);
                    if (rs.wasNull()) {
                        row.addNull();
                    } else {
                        row.add(value);
                    }
                }
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
                    long value = rs.getLong(column);
                    if (rs.wasNull()) {
                        row.addNull();
                    } else {
                        row.add(value);
                    }
                }
                case Types.REAL, Types.FLOAT, Types.DOUBLE -> {
                    double value = rs.getDouble(column);
                    if (rs.wasNull()) {
                        row.addNull();
                    } else if (Double.isFinite(value)) {
                        row.add(value);
                    } else {
                        row.add(Double.toString(value));
                    }
                }
                case Types.NUMERIC, Types.DECIMAL -> {
                    java.math.BigDecimal value = rs.getBigDecimal(column);
                    row.add(value == null ? null : value.toPlainString());
                }
                case UUID_TYPE -> {
                    Object value = rs.getObject(column);
                    row.add(value == null ? null : value.toString());
                }
                default -> row.add(rs.getString(column));
            }
        }
        return row;
    }

    /** Binds a row read back from a backup to an insert of the table, by the target's column types. */
    static void bind(Table table, JsonNode row, PreparedStatement insert) throws SQLException {
        if (!row.isArray() || row.size() != table.columns().size()) {
            throw new IllegalStateException("a row of " + table.name() + " does not match its columns");
        }
        for (int i = 0; i < table.columns().size(); i++) {
            int column = i + 1;
            JsonNode value = row.get(i);
            int type = table.types().get(i);
            if (value == null || value.isNull()) {
                insert.setNull(column, type == UUID_TYPE ? Types.OTHER : type);
                continue;
            }
            switch (type) {
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
                        insert.setBytes(column, Base64.getDecoder().decode(value.asString()));
                case Types.TIMESTAMP_WITH_TIMEZONE -> insert.setObject(column, OffsetDateTime.parse(value.asString()));
                case Types.TIMESTAMP -> insert.setObject(column, LocalDateTime.parse(value.asString()));
                case Types.DATE -> insert.setObject(column, LocalDate.parse(value.asString()));
                case Types.BOOLEAN, Types.BIT -> insert.setBoolean(column, value.asBoolean());
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> insert.setLong(column, value.asLong());
                case Types.REAL, Types.FLOAT, Types.DOUBLE -> insert.setDouble(column,
                        value.isNumber() ? value.asDouble() : Double.parseDouble(value.asString()));
                case Types.NUMERIC, Types.DECIMAL -> insert.setBigDecimal(column, new java.math.BigDecimal(value.asString()));
                case UUID_TYPE -> insert.setObject(column, java.util.UUID.fromString(value.asString()));
                case Types.OTHER -> insert.setObject(column, value.asString(), Types.OTHER);
                default -> insert.setString(column, value.asString());
            }
        }
    }
}
