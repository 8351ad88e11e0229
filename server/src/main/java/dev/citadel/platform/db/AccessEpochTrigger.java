package dev.citadel.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The embedded database's trigger behind {@link AccessEpoch} (H2 runs Java triggers only): after a
 * row of a table the request path caches is inserted, updated or deleted, moves
 * {@code access_epoch} in the same transaction. An UPDATE that changed only bookkeeping columns
 * (a login time) leaves it; any other column, including one added later, moves it.
 * PostgreSQL does the same with {@code citadel_bump_access_epoch()}.
 */
public final class AccessEpochTrigger implements org.h2.api.Trigger {

    /** Columns whose change alone says nothing about who may do what. */
    static final Map<String, Set<String>> BOOKKEEPING = Map.of(
            "users", Set.of("last_login_at", "totp_last_step"),
            "service_accounts", Set.of("last_used_at"));

    private int[] compared = new int[0];

    public AccessEpochTrigger() {}

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
            throws SQLException {
        Set<String> ignored = BOOKKEEPING.getOrDefault(table.toLowerCase(Locale.ROOT), Set.of());
        List<Integer> indexes = new ArrayList<>();
        try (ResultSet columns = connection.getMetaData().getColumns(null, schema, table, null)) {
            while (columns.next()) {
                if (!ignored.contains(columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT))) {
                    indexes.add(columns.getInt("ORDINAL_POSITION") - 1);
                }
            }
        }
        compared = indexes.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        if (oldRow != null && newRow != null && sameExceptBookkeeping(oldRow, newRow)) {
            return;
        }
        try (PreparedStatement bump = connection.prepareStatement(
                "update access_epoch set epoch = epoch + 1 where id = 1")) {
            bump.executeUpdate();
        }
    }

    private boolean sameExceptBookkeeping(Object[] oldRow, Object[] newRow) {
        for (int i : compared) {
            if (i >= oldRow.length || i >= newRow.length || !Objects.deepEquals(oldRow[i], newRow[i])) {
                return false;
            }
        }
        return true;
    }
}
