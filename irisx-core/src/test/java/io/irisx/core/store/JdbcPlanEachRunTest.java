package io.irisx.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.testing.TestDatabases;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Jdbc#planEachRun}: on PostgreSQL, a lookup of a list of ids that ran while its table was empty reads the
 * table through its primary key once the table has grown; the same lookup with the plan pgjdbc and PostgreSQL cache
 * on the connection goes on reading every row. Seen through the table's scan counters ({@code pg_stat_user_tables}).
 */
class JdbcPlanEachRunTest {

    private static final String LOOKUP = "SELECT payload FROM %s WHERE id = ANY(?)";

    @Test
    void aLookupPlannedEachRunReadsAGrownTableThroughItsIndexWhereTheCachedPlanReadsItAll() {
        try (Database database = TestDatabases.emptyPostgres()) {
            Scans cached = database.withConnection(connection -> lookUpAfterGrowth(connection, "probe_cached", false));
            Scans eachRun = database.withConnection(connection -> lookUpAfterGrowth(connection, "probe_each", true));

            assertThat(cached.sequential()).as("the plan cached on the empty table reads it all").isEqualTo(1);
            assertThat(cached.index()).isZero();
            assertThat(eachRun.sequential()).as("planned each run").isZero();
            assertThat(eachRun.index()).isPositive();
        }
    }

    @Test
    void onAnotherDriverTheStatementIsLeftAsItIs() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:plan-each-run");
        try (Connection connection = h2.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT 1")) {
            assertThat(Jdbc.planEachRun(select)).isSameAs(select);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    /** How the last lookup read the table: sequential scans and index scans. */
    private record Scans(long sequential, long index) {
    }

    /**
     * Runs the lookup 12 times on {@code table} empty (pgjdbc prepares it on the server from its fifth run, and
     * PostgreSQL caches a generic plan after five more), fills the table with 20,000 rows, and says how one more
     * lookup read it.
     */
    private static Scans lookUpAfterGrowth(Connection connection, String table, boolean planEachRun)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id VARCHAR(40) PRIMARY KEY, payload TEXT NOT NULL)");
            statement.execute("ANALYZE " + table);
        }
        for (int run = 0; run < 12; run++) {
            lookUp(connection, table, planEachRun);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + table + " SELECT 'id-' || n, repeat('x', 200)"
                    + " FROM generate_series(1, 20000) n");
        }
        Scans before = scans(connection, table);
        lookUp(connection, table, planEachRun);
        Scans after = scans(connection, table);
        return new Scans(after.sequential() - before.sequential(), after.index() - before.index());
    }

    private static void lookUp(Connection connection, String table, boolean planEachRun) throws SQLException {
        PreparedStatement select = connection.prepareStatement(String.format(LOOKUP, table));
        try (PreparedStatement lookup = planEachRun ? Jdbc.planEachRun(select) : select) {
            Array ids = connection.createArrayOf("varchar", new Object[] {"id-7", "id-19999"});
            lookup.setArray(1, ids);
            try (ResultSet rows = lookup.executeQuery()) {
                while (rows.next()) {
                    rows.getString(1);
                }
            }
        }
    }

    /** The table's scan counters, read until two reads agree (this session's own counts are flushed to them). */
    private static Scans scans(Connection connection, String table) throws SQLException {
        Scans last = null;
        for (int read = 0; read < 20; read++) {
            Scans now = read(connection, table);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static Scans read(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // Flushed when the session next goes idle, after the statement that asks for it.
            statement.execute("SELECT pg_stat_force_next_flush()");
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet row = statement.executeQuery("SELECT seq_scan, idx_scan FROM pg_stat_user_tables"
                    + " WHERE relid = '" + table + "'::regclass")) {
                row.next();
                return new Scans(row.getLong(1), row.getLong(2));
            }
        }
    }
}
