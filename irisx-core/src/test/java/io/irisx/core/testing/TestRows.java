package io.irisx.core.testing;

import io.irisx.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Rows written and read by hand, for tests that set a database up as an older IRISX left it; stateless. */
public final class TestRows {

    private TestRows() {
    }

    /** Inserts one row of {@code values} into {@code columns} (comma-separated) of {@code table}. */
    public static void insert(Connection connection, String table, String columns, Object... values)
            throws SQLException {
        String marks = String.join(", ", Collections.nCopies(values.length, "?"));
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")) {
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
        }
    }

    /** The first column of every row {@code sql} selects, as text. */
    public static List<String> column(Database database, String sql) {
        return database.withConnection(connection -> {
            List<String> values = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        });
    }
}
