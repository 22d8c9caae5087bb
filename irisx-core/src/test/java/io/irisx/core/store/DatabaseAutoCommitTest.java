package io.irisx.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host's pool that hands out connections with auto-commit off (a common setting beside an ORM): what IRISX writes
 * outside a transaction of its own is committed all the same, and each connection goes back as the pool gave it.
 */
class DatabaseAutoCommitTest {

    private HikariDataSource pool;
    private Database database;

    @BeforeEach
    void hostPoolWithAutoCommitOff() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:autocommit-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setAutoCommit(false);
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        database = Database.of(pool);
        database.migrate("core");
    }

    @AfterEach
    void close() {
        database.close();
        pool.close();
    }

    @Test
    void workOutsideATransactionRunsInAutoCommitAndTheConnectionGoesBackAsThePoolGaveIt() throws SQLException {
        boolean autoCommitInWork = database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE host_rows (id INT PRIMARY KEY)");
                statement.executeUpdate("INSERT INTO host_rows VALUES (1)");
            }
            return connection.getAutoCommit();
        });

        assertThat(autoCommitInWork).isTrue();
        try (Connection other = pool.getConnection(); Statement statement = other.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM host_rows")) {
            assertThat(other.getAutoCommit()).isFalse();
            rows.next();
            assertThat(rows.getInt(1)).as("the row written in auto-commit is committed").isEqualTo(1);
        }
    }

    @Test
    void anEnvelopePublishedOnItsOwnIsCommittedWhenPublishReturns() throws SQLException {
        try (JdbcOutbox outbox = JdbcOutbox.create(database, Clock.systemUTC())) {
            MessageId id = outbox.publish(Envelope.of(TenantId.of("acme"), Channel.EMAIL, "{}"));

            try (Connection other = pool.getConnection(); PreparedStatement select = other.prepareStatement(
                    "SELECT status FROM irisx_outbox WHERE id = ?")) {
                select.setString(1, id.value());
                try (ResultSet row = select.executeQuery()) {
                    assertThat(row.next()).as("the record is committed").isTrue();
                    assertThat(row.getString(1)).isEqualTo("PENDING");
                }
            }
        }
    }
}
