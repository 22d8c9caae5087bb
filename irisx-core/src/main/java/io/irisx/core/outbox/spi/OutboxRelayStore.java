package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.store.Database;
import io.irisx.core.store.Params;
import io.irisx.core.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A broker outbox's relay from its {@link OutboxTable} to the broker (irisx-queue's JetStream outbox builds on it):
 * which committed records are not yet on the broker, and publishing them. Thread-safe.
 *
 * <p>A record is unpublished while its id is in {@code irisx_outbox_unpublished}, a narrow table written beside it in
 * the same transaction: the relay deletes ids there rather than rewrite the wide record. The database outbox, which
 * has no relay, writes none; a broker outbox taking over its table {@link #adopt() adopts} the records still waiting
 * when it starts. What the broker loses is made unpublished again by {@link BrokerStreams}.
 */
public final class OutboxRelayStore {

    private final Database database;

    private OutboxRelayStore(OutboxTable table) {
        this.database = table.database();
    }

    /** The relay of the records of {@code table}, a table {@link OutboxTable#forRelay for a relay}. */
    public static OutboxRelayStore create(OutboxTable table) {
        return new OutboxRelayStore(OutboxTable.requireRelayed(table));
    }

    /**
     * A committed record not yet on the broker, as the relay gets it.
     *
     * @param envelope the work
     * @param publicationId the id the broker deduplicates on: the message id, then a new one for each replay (a
     *     replay soon after the first publication would otherwise be dropped as a duplicate)
     */
    public record Unpublished(Envelope envelope, String publicationId) {

        private static final String REPLAY = ".replay-";

        static Unpublished of(Envelope envelope, int replays) {
            String id = envelope.id().value();
            return new Unpublished(envelope, replays == 0 ? id : id + REPLAY + replays);
        }

        /**
         * The id of the message a publication id names.
         *
         * @throws IrisxValidationException when {@code publicationId} is not one (or is null)
         */
        public static MessageId messageId(String publicationId) {
            int replay = publicationId == null ? -1 : publicationId.indexOf(REPLAY);
            return MessageId.parse(replay < 0 ? publicationId : publicationId.substring(0, replay));
        }
    }

    /** Puts records on a broker (SPI of a broker outbox's relay). */
    @FunctionalInterface
    public interface Relay {
        /**
         * Sends {@code batch} to the broker without waiting for it, and returns the wait for its acknowledgements.
         * The store marks the batch published meanwhile, in the transaction it commits once they are in.
         */
        Acknowledgements publish(List<Unpublished> batch) throws Exception;
    }

    /** The broker's acknowledgements of a batch a {@link Relay} sent, yet to come. */
    @FunctionalInterface
    public interface Acknowledgements {
        /**
         * Waits for them.
         *
         * @return the ids of the envelopes the broker acknowledged (the others stay unpublished)
         * @throws Exception when the broker acknowledged none of them
         */
        Set<MessageId> await() throws Exception;
    }

    /**
     * Makes the records a database outbox queued in this table and that still wait (PENDING) unpublished, for this
     * relay to publish: for a broker outbox starting on a table a {@link JdbcOutbox} used. Records such an
     * outbox had in flight are left to it. Returns how many.
     */
    public int adopt() {
        return database.inTransaction(connection -> {
            List<MessageId> waiting;
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_outbox"
                    + " WHERE channel = ANY(?) AND status = 'PENDING' AND NOT relayed ORDER BY id FOR UPDATE")) {
                select.setArray(1, connection.createArrayOf("varchar",
                        Arrays.stream(Channel.values()).map(Channel::name).toArray()));
                waiting = OutboxTable.selectIds(select);
            }
            if (waiting.isEmpty()) {
                return 0;
            }
            OutboxTable.relay(connection, waiting);
            return waiting.size();
        });
    }

    /**
     * Moves up to {@code limit} committed, unpublished records to a broker through {@code relay}, oldest id first,
     * and takes those it acknowledged off the unpublished ones, all in one transaction that holds their unpublished
     * ids' row locks: relays in several processes skip each other's records ({@code SKIP LOCKED}), and a relay that
     * dies before committing leaves its records unpublished for the next pass (a broker deduplicating on
     * {@link Unpublished#publicationId()} drops the second copy). The ids are deleted while the broker works on the
     * records, and the few it did not acknowledge are put back before the commit, so no record is ever seen
     * published before its acknowledgement.
     *
     * @return how many records were found (the caller relays again at once when the batch was full)
     */
    public int relay(int limit, Relay relay) {
        Objects.requireNonNull(relay, "relay");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return relay("SELECT id FROM irisx_outbox_unpublished ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                select -> Params.of(select).intValue(limit), relay);
    }

    /**
     * Moves the records of {@code ids} that are still unpublished to a broker, as {@link #relay(int, Relay)} does,
     * finding them by primary key: for a relay told of records just committed, which it need not look for. Records
     * that another relay holds, or that are published already, are skipped.
     *
     * @return how many of {@code ids} were found unpublished
     */
    public int relay(Collection<MessageId> ids, Relay relay) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(relay, "relay");
        if (ids.isEmpty()) {
            return 0;
        }
        // One array parameter, so that the statement's text is the same whatever the number.
        return relay("SELECT id FROM irisx_outbox_unpublished WHERE id = ANY(?) ORDER BY id FOR UPDATE SKIP LOCKED",
                select -> select.setArray(1, OutboxTable.ids(select.getConnection(), ids)), relay);
    }

    /** Binds the parameters of a query. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /**
     * Publishes the waiting records among those whose unpublished ids {@code query} selects and locks, then deletes
     * those ids. An id whose record is no longer waiting (settled, or purged) goes without a publication; a record in
     * flight goes (only a stream created anew makes one unpublished: its worker's claim holds the new copy back until
     * the claim settles or lapses). The ids and
     * the records are read with two statements: joined, PostgreSQL may merge the two primary keys from their start,
     * reading again every record published before.
     */
    private int relay(String query, Binder binder, Relay relay) {
        return database.inTransaction(connection -> {
            List<MessageId> locked;
            try (PreparedStatement select = Jdbc.planEachRun(connection.prepareStatement(query))) {
                binder.bind(select);
                locked = OutboxTable.selectIds(select);
            }
            if (locked.isEmpty()) {
                return 0;
            }
            List<Unpublished> batch;
            try (PreparedStatement select = Jdbc.planEachRun(connection.prepareStatement("SELECT id, tenant_id,"
                    + " channel, idempotency_key, payload, replays FROM irisx_outbox WHERE id = ANY(?)"
                    + " AND status IN ('PENDING', 'IN_FLIGHT') ORDER BY id"))) {
                select.setArray(1, OutboxTable.ids(connection, locked));
                batch = Jdbc.list(select, row -> Unpublished.of(OutboxRow.envelope(row), row.intValue("replays")));
            }
            try {
                Acknowledgements acknowledgements = batch.isEmpty() ? Set::of : relay.publish(List.copyOf(batch));
                // The database's share of the pass overlaps the broker's.
                deleteUnpublished(connection, locked);
                Set<MessageId> published = acknowledgements.await();
                List<MessageId> unacknowledged = batch.stream().map(record -> record.envelope().id())
                        .filter(id -> !published.contains(id)).toList();
                if (!unacknowledged.isEmpty()) {
                    OutboxTable.insertUnpublished(connection, unacknowledged);
                }
            } catch (SQLException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("publishing " + batch.size() + " outbox record(s) failed: " + e, e);
            }
            return locked.size();
        });
    }

    /**
     * Takes the records of {@code ids} off the unpublished ones, with one statement whatever their number (a batch of
     * single-row deletes would cost the database a statement execution per record).
     */
    private static void deleteUnpublished(Connection connection, Collection<MessageId> ids) throws SQLException {
        try (PreparedStatement delete = Jdbc.planEachRun(connection.prepareStatement(
                "DELETE FROM irisx_outbox_unpublished WHERE id = ANY(?)"))) {
            delete.setArray(1, OutboxTable.ids(connection, ids));
            delete.executeUpdate();
        }
    }
}
