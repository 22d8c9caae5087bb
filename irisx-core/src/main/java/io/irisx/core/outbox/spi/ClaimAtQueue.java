package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Claim;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Queues an outbox's envelopes already claimed for a worker of this process that has room (a handler free, or, while
 * its handlers are quick, a place in line behind them), and hands each to a handler once committed: no claim of its
 * own, no wait for a poll or a broker. What no worker here can take is queued as usual and named to the outbox once
 * committed. Thread-safe.
 *
 * <p>On a table {@link OutboxTable#forClaims for claims} a record whose worker dies comes back to another when its
 * claim lapses, as any claimed record does. On a table {@link OutboxTable#forRelay for a relay} such a record is not
 * on the broker: the relay puts it there once its claim lapsed ({@link BrokerStreams#relayLapsed}), and a retry or a
 * put-off recorded for it ({@link OutboxOutcomes}) does so at once.
 */
public final class ClaimAtQueue {

    /** A worker of this process that can take records claimed for it as they are queued. */
    public interface Taker {

        /** The channel whose records this worker handles. */
        Channel channel();

        /** A place for a record about to be queued, taken now; null when the worker has none free. */
        Place reserve();

        /** Whose claims this worker's are. */
        String owner();

        /** How long this worker's claims last, in milliseconds. */
        long claimMillis();
    }

    /** A place a {@link Taker} keeps for one record about to be queued claimed for it. */
    public interface Place {

        /** Frees the place: the record was not queued claimed (a duplicate, or the transaction failed). */
        void release();

        /** Hands the committed record, claimed for the worker, to a handler, which frees the place when done. */
        void handOver(Claim claim);
    }

    private final Database database;
    private final OutboxTable table;
    private final Iterable<? extends Taker> takers;
    private final Consumer<List<Envelope>> committed;

    private ClaimAtQueue(OutboxTable table, Iterable<? extends Taker> takers, Consumer<List<Envelope>> committed) {
        this.database = table.database();
        this.table = table;
        this.takers = takers;
        this.committed = committed;
    }

    /**
     * Queueing on {@code table} for the workers in {@code takers} (a live view of the outbox's subscriptions), naming
     * to {@code committed} the envelopes queued unclaimed once their transaction commits.
     */
    public static ClaimAtQueue of(OutboxTable table, Iterable<? extends Taker> takers,
            Consumer<List<Envelope>> committed) {
        return new ClaimAtQueue(Objects.requireNonNull(table, "table"), Objects.requireNonNull(takers, "takers"),
                Objects.requireNonNull(committed, "committed"));
    }

    /**
     * Queues {@code envelope} in a transaction of its own; where one statement does it (everywhere but unclaimed in
     * a relay's table on H2), on a connection in auto-commit: one round trip where a transaction takes two.
     */
    public MessageId publish(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        return run(table.unpublishedApart(), (connection, queue) -> queue.publish(envelope));
    }

    /**
     * Runs {@code work} in one transaction of {@code database}, queueing what it publishes as above.
     *
     * @throws IllegalArgumentException when {@code database} is not the table's
     */
    public <T> T inTransaction(Database database, Outbox.Work<T> work) {
        if (database != this.database) {
            throw new IllegalArgumentException("database must be this outbox's (" + this.database + "), was "
                    + database);
        }
        return run(true, Objects.requireNonNull(work, "work"));
    }

    private <T> T run(boolean transaction, Outbox.Work<T> work) {
        List<Handing> claimed = new ArrayList<>();
        List<Envelope> named = new ArrayList<>();
        Database.TransactionalWork<T> run =
                connection -> work.run(connection, envelope -> queue(connection, envelope, claimed, named));
        T result;
        try {
            result = transaction ? database.inTransaction(run) : database.withConnection(run);
        } catch (RuntimeException | Error e) {
            claimed.forEach(handing -> handing.place().release());
            throw e;
        }
        claimed.forEach(handing -> handing.place().handOver(handing.claim()));
        if (!named.isEmpty()) {
            committed.accept(named);
        }
        return result;
    }

    /**
     * Queues {@code envelope} through a work's connection: claimed for a worker with room, added to {@code claimed},
     * or else added to {@code named}.
     */
    private MessageId queue(Connection connection, Envelope envelope, List<Handing> claimed, List<Envelope> named)
            throws SQLException {
        Objects.requireNonNull(envelope, "envelope");
        for (Taker taker : takers) {
            Place place = taker.channel() == envelope.channel() ? taker.reserve() : null;
            if (place == null) {
                continue;
            }
            Optional<Claim> claim = table.insertClaimed(connection, envelope, taker.owner(), taker.claimMillis());
            if (claim.isPresent()) {
                claimed.add(new Handing(place, claim.get()));
                return envelope.id();
            }
            // Queued already: nothing was inserted, and the earlier record holds the work.
            place.release();
            return table.earlier(connection, envelope);
        }
        MessageId id = table.insert(connection, envelope);
        if (id.equals(envelope.id())) {
            named.add(envelope);
        }
        return id;
    }

    /** A record queued claimed in {@code place}, to hand over once committed. */
    private record Handing(Place place, Claim claim) {
    }
}
