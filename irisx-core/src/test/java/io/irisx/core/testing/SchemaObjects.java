package io.irisx.core.testing;

import io.irisx.core.store.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of the tables, indexes and key constraints in a database's current schema (an H2 database's
 * {@code public}, a {@link TestDatabases#emptyPostgres} schema), as the database reports them; a snapshot, immutable.
 *
 * <p>On H2 a primary key's index is left out of {@link #indexes}: H2 names it itself ({@code PRIMARY_KEY_<n>}, unique
 * in the schema) whatever the constraint is called, and IRISX's SQL cannot name it. PostgreSQL names it after the
 * constraint, so there it is listed.
 *
 * @param tables the tables' names
 * @param indexes the indexes' names
 * @param constraints the names of the primary key, unique and foreign key constraints
 */
public record SchemaObjects(List<String> tables, List<String> indexes, List<String> constraints) {

    public SchemaObjects {
        tables = List.copyOf(tables);
        indexes = List.copyOf(indexes);
        constraints = List.copyOf(constraints);
    }

    /** Reads the names in {@code database}'s current schema. */
    public static SchemaObjects of(Database database) {
        String indexes = database.dialect() == Database.Dialect.H2
                ? "SELECT index_name FROM information_schema.indexes WHERE table_schema = CURRENT_SCHEMA"
                        + " AND index_type_name <> 'PRIMARY KEY' ORDER BY 1"
                : "SELECT indexname FROM pg_indexes WHERE schemaname = CURRENT_SCHEMA ORDER BY 1";
        return database.withConnection(connection -> new SchemaObjects(
                names(connection, "SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = CURRENT_SCHEMA ORDER BY 1"),
                names(connection, indexes),
                // PostgreSQL lists its NOT NULL constraints as CHECK constraints with generated names: left out.
                names(connection, "SELECT constraint_name FROM information_schema.table_constraints"
                        + " WHERE table_schema = CURRENT_SCHEMA"
                        + " AND constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'REFERENTIAL') ORDER BY 1")));
    }

    /** Every name here: the tables', the indexes' and the constraints'. */
    public List<String> all() {
        List<String> all = new ArrayList<>(tables);
        all.addAll(indexes);
        all.addAll(constraints);
        return List.copyOf(all);
    }

    private static List<String> names(Connection connection, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
