package io.irisx.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** irisx-core's schema migrations, on H2 in PostgreSQL mode and on PostgreSQL. */
class DatabaseMigrationTest {

    /**
     * The migrations under db/irisx/core (the outbox and dead letters, the replay count, the relay order), the
     * dialect's own V4 (the outbox's indexes), then the table of unpublished records, that of broker streams'
     * creation times, the claim's index in claim order, the tenants and API keys, the dialect's own V9 (the
     * rate-limit buckets' table on PostgreSQL; nothing on H2, which keeps them in memory), usage and prices (V10),
     * and the credit ledger (V11).
     */
    private static final int CORE_MIGRATIONS = 12;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void migratingAnEmptyDatabaseAppliesTheOutboxSchemaThenNothingMore(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            assertThat(database.migrate("core")).isEqualTo(CORE_MIGRATIONS);
            assertThat(database.migrate("core")).isZero();

            assertThat(count(database, "irisx_outbox")).isZero();
            assertThat(count(database, "irisx_dead_letter")).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void upgradingToTheUnpublishedTableKeepsEveryWaitingRecordUnpublished(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            TestDatabases.migrateUpTo(database, "core", "4");
            database.withConnection(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(record("msg_01waiting", "PENDING", "NULL"));
                    statement.execute(record("msg_02published", "PENDING", "1"));
                    statement.execute(record("msg_03done", "DONE", "NULL"));
                }
                return null;
            });

            // V5 (the unpublished table), V6 (the broker streams' creation times), V7 (the claim's index), V8 (tenants
            // and API keys), V9 (the rate-limit buckets), V10 (usage and prices) and V11 (the credit ledger).
            assertThat(database.migrate("core")).isEqualTo(CORE_MIGRATIONS - 4);

            List<String> unpublished = new ArrayList<>();
            database.withConnection(connection -> {
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT id FROM irisx_outbox_unpublished")) {
                    while (rows.next()) {
                        unpublished.add(rows.getString(1));
                    }
                }
                return null;
            });
            assertThat(unpublished).containsExactly("msg_01waiting");
            assertThat(count(database, "irisx_outbox")).isEqualTo(3);
        }
    }

    private static String record(String id, String status, String publishedAt) {
        return "INSERT INTO irisx_outbox (id, tenant_id, channel, idempotency_key, payload, status, attempts,"
                + " next_attempt_at, created_at, updated_at, published_at) VALUES ('" + id + "', 'acme', 'EMAIL', '"
                + id + "', '{}', '" + status + "', 0, 0, 0, 0, " + publishedAt + ")";
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
