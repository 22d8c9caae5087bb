package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.core.store.Params;
import io.irisx.core.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a broker outbox's streams lose, or never got, as its {@link OutboxTable} sees it: the records a stream dropped
 * when they outlived its max age, and every unfinished record of a stream created anew, are made unpublished again
 * for the relay ({@link OutboxRelayStore}) to put back on the broker, as are records queued claimed whose claim lapsed
 * before their worker recorded them. The creation time of each stream is recorded beside the table ({@code
 * irisx_outbox_stream}) to tell a stream created anew. Thread-safe; every time comes from the table's clock.
 */
public final class BrokerStreams {

    private final Database database;
    private final Clock clock;

    private BrokerStreams(OutboxTable table) {
        this.database = table.database();
        this.clock = table.clock();
    }

    /** The streams the records of {@code table}, a table {@link OutboxTable#forRelay for a relay}, are relayed to. */
    public static BrokerStreams create(OutboxTable table) {
        return new BrokerStreams(OutboxTable.requireRelayed(table));
    }

    /**
     * Makes the records of {@code channel} that are on the broker, were last changed before {@code changedBefore}
     * (epoch ms) and are still waiting (PENDING, or IN_FLIGHT with a lapsed claim) unpublished again, under a new
     * publication id, so that the relay puts them on the broker once more: a broker that keeps messages for a limited
     * time (a stream's max age) has dropped them by then. A record is published soon after its last change (its
     * insert, replay or claim), so one relayed only after a broker outage longer than that time may be published
     * twice, which its worker's claim tells apart. Returns how many.
     */
    public int unpublishStale(Channel channel, long changedBefore) {
        Objects.requireNonNull(channel, "channel");
        long now = clock.millis();
        return database.inTransaction(connection -> {
            List<MessageId> stale;
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_outbox o"
                    + " WHERE channel = ? AND updated_at < ?"
                    + " AND (status = 'PENDING' OR (status = 'IN_FLIGHT' AND claim_expires_at <= ?))"
                    + " AND NOT EXISTS (SELECT 1 FROM irisx_outbox_unpublished u WHERE u.id = o.id)"
                    + " ORDER BY id FOR UPDATE")) {
                Params.of(select).enumName(channel).longValue(changedBefore).longValue(now);
                stale = OutboxTable.selectIds(select);
            }
            if (stale.isEmpty()) {
                return 0;
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_outbox SET status = 'PENDING',"
                    + " replays = replays + 1, relayed = TRUE, claim_token = NULL, claim_owner = NULL,"
                    + " claim_expires_at = NULL, updated_at = ? WHERE id = ANY(?)")) {
                Params.of(update).longValue(now);
                update.setArray(2, OutboxTable.ids(connection, stale));
                update.executeUpdate();
            }
            OutboxTable.insertUnpublished(connection, stale);
            return stale.size();
        });
    }

    /**
     * Makes unpublished, for the relay to put on the broker, the records of {@code channel} that were queued claimed
     * for a worker of their process ({@link OutboxTable#insertClaimed}), never relayed, and whose claim lapsed: that
     * worker stopped (its process died, likely) before recording what became of them. A worker that takes such a
     * record from the broker counts it a try more, or dead-letters it when that claim was its last try. Returns how
     * many.
     */
    public int relayLapsed(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        long now = clock.millis();
        return database.inTransaction(connection -> {
            List<MessageId> lapsed;
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_outbox"
                    + " WHERE channel = ? AND status = 'IN_FLIGHT' AND claim_expires_at <= ? AND NOT relayed"
                    + " ORDER BY id FOR UPDATE SKIP LOCKED")) {
                Params.of(select).enumName(channel).longValue(now);
                lapsed = OutboxTable.selectIds(select);
            }
            if (lapsed.isEmpty()) {
                return 0;
            }
            OutboxTable.relay(connection, lapsed);
            return lapsed.size();
        });
    }

    /**
     * Records that the broker's {@code stream}, which carries {@code channel}'s records, was created at {@code
     * createdNanos} (epoch ns, as the broker says; for a broker outbox). When a stream of that name was recorded with
     * an earlier creation time, this one was created anew, empty (the broker came back without its store, or the
     * stream was deleted): every record of the channel that a relay put on the broker and that is not finished
     * (PENDING, or IN_FLIGHT) is made unpublished again in the same transaction, under the same publication id, which
     * the row's lock keeps to one process. A record the new stream holds already is dropped by its duplicate window
     * or, after it, by its worker's claim.
     *
     * @return how many records were made unpublished, when the stream was created anew; empty when it was not (first
     *     recorded now, recorded already, or an earlier stream of that name seen late)
     */
    public OptionalInt streamCreated(String stream, Channel channel, long createdNanos) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(channel, "channel");
        return database.inTransaction(connection -> {
            Optional<Long> known;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT created_nanos FROM irisx_outbox_stream WHERE name = ? FOR UPDATE")) {
                Params.of(select).string(stream);
                known = Jdbc.first(select, row -> row.longValue("created_nanos"));
            }
            if (known.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_outbox_stream"
                        + " (name, created_nanos) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    Params.of(insert).string(stream).longValue(createdNanos);
                    insert.executeUpdate();
                }
                return OptionalInt.empty();
            }
            if (known.get() >= createdNanos) {
                return OptionalInt.empty();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE irisx_outbox_stream SET created_nanos = ? WHERE name = ?")) {
                Params.of(update).longValue(createdNanos).string(stream);
                update.executeUpdate();
            }
            return OptionalInt.of(unpublishUnfinished(connection, channel));
        });
    }

    /** Makes every record of {@code channel} on the broker and not finished unpublished again; returns how many. */
    private static int unpublishUnfinished(Connection connection, Channel channel) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_outbox_unpublished (id)"
                + " SELECT id FROM irisx_outbox o WHERE channel = ? AND relayed AND status IN ('PENDING', 'IN_FLIGHT')"
                + " AND NOT EXISTS (SELECT 1 FROM irisx_outbox_unpublished u WHERE u.id = o.id)"
                + " ON CONFLICT DO NOTHING")) {
            Params.of(insert).enumName(channel);
            return insert.executeUpdate();
        }
    }
}
