package io.irisx.core.outbox;

import io.irisx.core.Channel;
import io.irisx.core.event.EventSink;
import io.irisx.core.health.Health;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The durable queue between a send and the worker that does it (SPI); thread-safe.
 *
 * <p>{@link #publish(Envelope)} returns only once the envelope is durable, and
 * {@link #publish(Connection, Envelope)} writes it in the caller's open transaction, so a message row and its
 * outbox record commit together or not at all: there is never a stored message that nothing will process, nor
 * queued work with no row. Deliveries are at-least-once; see {@link Handler}.
 *
 * <p>Every implementation passes the contract kit in irisx-testkit ({@code OutboxContractKit}). IRISX ships
 * {@link JdbcOutbox} (the embedded default, on the runtime's database) and, in irisx-queue, a NATS JetStream outbox.
 */
public interface Outbox extends AutoCloseable {

    /**
     * Stores {@code envelope} durably for its channel's workers. An envelope whose tenant, channel and idempotency
     * key match one stored earlier is not queued again.
     *
     * @return the id of the envelope that holds the work: this one's, or the earlier one's with the same key
     */
    MessageId publish(Envelope envelope);

    /**
     * As {@link #publish(Envelope)}, written through the caller's open {@code transaction}: the envelope is queued
     * when, and only if, the caller commits. The outbox neither commits nor closes the connection.
     */
    MessageId publish(Connection transaction, Envelope envelope);

    /**
     * Tells the outbox that {@code envelopes}, published with {@link #publish(Connection, Envelope)}, are committed,
     * so that they go now rather than at the outbox's next look (its relay's or its workers' interval). Calling it
     * is optional; an envelope that was not committed after all is ignored.
     */
    default void committed(Collection<Envelope> envelopes) {
    }

    /**
     * Runs {@code work} in one transaction of {@code database}, the database this outbox was created on: what {@code
     * work} publishes through its {@link Queue} is written in that transaction, as {@link #publish(Connection,
     * Envelope)} would, and goes to the workers as soon as it commits, as {@link #committed} would tell them. IRISX's
     * outboxes queue such an envelope, when a worker of its channel in this process has a handler free, already
     * claimed for that worker, which then needs no claim of its own (nor, on JetStream, the broker). Nothing is
     * handed over when {@code work} throws or the transaction rolls back.
     *
     * @return what {@code work} returned
     */
    default <T> T inTransaction(Database database, Work<T> work) {
        List<Envelope> queued = new ArrayList<>();
        T result = database.inTransaction(connection -> work.run(connection, envelope -> {
            MessageId id = publish(connection, envelope);
            if (id.equals(envelope.id())) {
                queued.add(envelope);
            }
            return id;
        }));
        committed(queued);
        return result;
    }

    /** Work in a transaction that may queue envelopes: see {@link #inTransaction}. */
    @FunctionalInterface
    interface Work<T> {
        /** Does the work through {@code connection}, queueing envelopes through {@code queue}. */
        T run(Connection connection, Queue queue) throws SQLException;
    }

    /** Queues envelopes in the transaction of an {@link #inTransaction} work. */
    @FunctionalInterface
    interface Queue {
        /** As {@link Outbox#publish(Connection, Envelope)} in the work's transaction. */
        MessageId publish(Envelope envelope) throws SQLException;
    }

    /** Starts delivering {@code channel}'s envelopes to {@code handler}, until the subscription is closed. */
    Subscription consume(Channel channel, Handler handler, ConsumeOptions options);

    /** This outbox's dead letters. */
    DeadLetters deadLetters();

    /**
     * Whether the outbox can carry work now, as the check named {@code outbox} of the runtime's health: a broker
     * outbox reports its connection. Default: up, as the database outbox needs nothing beyond the database.
     */
    default Health.Check health() {
        return Health.Check.up("outbox", getClass().getSimpleName() + " on the database");
    }

    /** Stops every subscription gracefully and releases what the outbox holds (not the database). */
    @Override
    void close();

    /** Creates an outbox on the runtime's database and clock; passed to {@code Irisx.builder().outbox(…)}. */
    @FunctionalInterface
    interface Factory {
        /**
         * Creates the outbox; the database is migrated for irisx-core already. The outbox emits
         * {@code message.dead_lettered} to {@code events}, in the transaction that stores each dead letter.
         */
        Outbox create(Database database, Clock clock, EventSink events);
    }
}
