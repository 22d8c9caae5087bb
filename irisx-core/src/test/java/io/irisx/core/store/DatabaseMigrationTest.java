package io.irisx.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** irisx-core's schema migrations, on H2 in PostgreSQL mode and on PostgreSQL. */
class DatabaseMigrationTest {

    /**
     * The migrations under db/irisx/core (the outbox and dead letters, the replay count, the relay order), then the
     * dialect's own V4 (the outbox's indexes).
     */
    private static final int CORE_MIGRATIONS = 4;

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("H2", (Supplier<Database>) TestDatabases::emptyH2),
                Arguments.of("PostgreSQL", (Supplier<Database>) TestDatabases::emptyPostgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void migratingAnEmptyDatabaseAppliesTheOutboxSchemaThenNothingMore(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            assertThat(database.migrate("core")).isEqualTo(CORE_MIGRATIONS);
            assertThat(database.migrate("core")).isZero();

            assertThat(count(database, "irisx_outbox")).isZero();
            assertThat(count(database, "irisx_dead_letter")).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void migratingBesideTheHostsOwnTablesLeavesThemAlone(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            database.withConnection(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE host_orders (id BIGINT PRIMARY KEY, total BIGINT NOT NULL)");
                    statement.execute("INSERT INTO host_orders VALUES (1, 4200)");
                }
                return null;
            });

            assertThat(database.migrate("core")).isEqualTo(CORE_MIGRATIONS);

            assertThat(count(database, "host_orders")).isEqualTo(1);
            assertThat(count(database, "irisx_outbox")).isZero();
            assertThat(database.migrate("core")).isZero();
        }
    }

    private static int count(Database database, String table) {
        return database.withConnection(connection -> count(connection, table));
    }

    private static int count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
