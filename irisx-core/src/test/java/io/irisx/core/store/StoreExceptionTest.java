package io.irisx.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.testing.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link StoreException} made from a driver's exception keeps the SQLState and the names the database gave, and
 * carries none of the values the statement was given, in its message or in its causes, on H2 and PostgreSQL.
 */
class StoreExceptionTest {

    private static final String SECRET = "sk_live_ada@example.com";

    private static Database open(String dialect) {
        Database database = dialect.equals("h2") ? TestDatabases.emptyH2() : TestDatabases.emptyPostgres();
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE store_probe (id VARCHAR(8) NOT NULL, label VARCHAR(30),"
                        + " CONSTRAINT store_probe_pk PRIMARY KEY (id))");
            }
            return null;
        });
        return database;
    }

    private static StoreException insert(Database database, String id, String label) {
        return catchThrowableOfType(StoreException.class, () -> database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO store_probe (id, label) VALUES (?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, label);
                return insert.executeUpdate();
            }
        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void a_value_too_long_is_told_with_its_sqlstate_and_without_the_value(String dialect) {
        try (Database database = open(dialect)) {
            StoreException refused = insert(database, "id-1", SECRET + "-" + SECRET);

            assertThat(refused).hasMessageStartingWith("transaction failed: a value is longer than its column allows")
                    .hasMessageContaining("SQLState 22001");
            assertCarriesNoValue(refused);
            assertThat(refused.getCause()).isInstanceOfSatisfying(SQLException.class,
                    cause -> assertThat(cause.getSQLState()).isEqualTo("22001"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void a_duplicate_key_is_told_with_its_constraint_or_table_and_without_the_key(String dialect) {
        try (Database database = open(dialect)) {
            int inserted = database.inTransaction(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO store_probe (id, label) VALUES (?, ?)")) {
                    insert.setString(1, "ada@ex");
                    insert.setString(2, "first");
                    return insert.executeUpdate();
                }
            });
            assertThat(inserted).isEqualTo(1);

            StoreException refused = insert(database, "ada@ex", SECRET);

            assertThat(refused).hasMessageContaining("the row already exists (unique constraint)")
                    .hasMessageContaining("SQLState 23505").hasMessageContaining("store_probe");
            assertThat(stackTrace(refused)).doesNotContain("ada@ex", SECRET);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void other_failures_keep_the_databases_first_line_without_the_statement(String dialect) {
        try (Database database = open(dialect)) {
            StoreException refused = catchThrowableOfType(StoreException.class, () -> database.withConnection(connection -> {
                try (PreparedStatement select = connection.prepareStatement("SELECT * FROM no_such_table WHERE id = ?")) {
                    select.setString(1, SECRET);
                    return select.executeQuery().next();
                }
            }));

            assertThat(refused).hasMessageStartingWith("database call failed: ").hasMessageContaining("no_such_table")
                    .hasMessageContaining("SQLState 42");
            assertThat(refused.getMessage()).doesNotContain("SQL statement").doesNotContain("\n");
            assertCarriesNoValue(refused);
        }
    }

    private static void assertCarriesNoValue(StoreException refused) {
        assertThat(stackTrace(refused)).doesNotContain(SECRET);
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
