package io.irisx.core.outbox;

import io.irisx.core.Channel;
import io.irisx.core.event.EventSink;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.spi.ClaimAtQueue;
import io.irisx.core.outbox.spi.OutboxClaims;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.store.Database;
import io.irisx.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link Outbox}: a transactional outbox table in the runtime's database (H2 or PostgreSQL), with
 * workers that claim due records from it; thread-safe, and meant to be shared.
 *
 * <p>Publishing is one {@code INSERT … ON CONFLICT DO NOTHING}, so it can join the caller's transaction without
 * ever failing it on a duplicate idempotency key. Each {@link #consume subscription} claims due records with
 * {@code SELECT … FOR UPDATE SKIP LOCKED}, so any number of processes on one database share the work and none is
 * handled by two of them at once. A claim lasts the options' claim timeout: the record of a worker that dies comes
 * back to another after that. A handler must therefore finish within the claim timeout, or its record may be
 * delivered again meanwhile (its late outcome is then dropped, never overwriting the new owner's). A record queued
 * by {@link #publish(Envelope)} or in {@link #inTransaction} while a worker of its channel in this process has a
 * handler free is inserted already claimed for that worker, and handed to the handler once committed: no claim of its
 * own, no wait for the poller.
 *
 * <p>Handled records stay as {@link OutboxStatus#DONE}, so their idempotency keys keep deduplicating, until
 * {@link #purgeCompleted(Duration)} deletes them. The database must be migrated for irisx-core
 * ({@code database.migrate("core")}) first.
 */
public final class JdbcOutbox implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(JdbcOutbox.class);

    private final Database database;
    private final Clock clock;
    private final OutboxTable table;
    private final OutboxOutcomes outcomes;
    private final OutboxClaims claims;
    private final ClaimAtQueue queueing;
    private final String instance;
    private final AtomicInteger subscriptionCount = new AtomicInteger();
    private final Set<JdbcSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private JdbcOutbox(Database database, Clock clock, EventSink events) {
        this.database = database;
        this.clock = clock;
        this.table = OutboxTable.forClaims(database, clock);
        this.outcomes = OutboxOutcomes.create(table, this::wake, events);
        this.claims = OutboxClaims.create(table, outcomes);
        this.queueing = ClaimAtQueue.of(table, subscriptions, this::committed);
        this.instance = "p" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * An outbox on {@code database} (migrated for irisx-core) that takes every time from {@code clock}, and logs the
     * {@code message.dead_lettered} events it emits.
     */
    public static JdbcOutbox create(Database database, Clock clock) {
        return create(database, clock, EventSink.logging());
    }

    /** As {@link #create(Database, Clock)}, emitting {@code message.dead_lettered} to {@code events}. */
    public static JdbcOutbox create(Database database, Clock clock, EventSink events) {
        return new JdbcOutbox(Objects.requireNonNull(database, "database"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(events, "events"));
    }

    /** The factory to hand to the runtime's builder: {@code JdbcOutbox::create}. */
    public static Outbox.Factory factory() {
        return JdbcOutbox::create;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The envelope is queued with one statement, committed as it runs (auto-commit): one round trip to the database
     * where a transaction takes two. It is claimed at its insert as in {@link #inTransaction}.
     */
    @Override
    public MessageId publish(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        requireOpen();
        MessageId id = queueing.publish(envelope);
        log.debug("irisx outbox: queued {}", envelope);
        return id;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An envelope queued while a worker of its channel in this process has a handler free is inserted claimed for
     * that worker, and handed to the handler once the transaction commits; the handler's place is given back if it
     * does not.
     *
     * @throws IllegalArgumentException when {@code database} is not the one this outbox was created on
     */
    @Override
    public <T> T inTransaction(Database database, Work<T> work) {
        requireOpen();
        return queueing.inTransaction(database, work);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Workers in this process learn of the envelope at their next poll, as the outbox cannot tell when the
     * caller commits.
     */
    @Override
    public MessageId publish(Connection transaction, Envelope envelope) {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(envelope, "envelope");
        requireOpen();
        try {
            MessageId id = table.insert(transaction, envelope);
            log.debug("irisx outbox: queued {} in the caller's transaction", envelope);
            return id;
        } catch (SQLException e) {
            throw StoreException.of("queueing " + envelope + " failed", e);
        }
    }

    @Override
    public Subscription consume(Channel channel, Handler handler, ConsumeOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        requireOpen();
        String owner = instance + "-" + channel.name().toLowerCase(Locale.ROOT) + "-"
                + subscriptionCount.incrementAndGet();
        JdbcSubscription subscription = new JdbcSubscription(claims, outcomes, channel, handler, options, owner,
                subscriptions::remove);
        subscriptions.add(subscription);
        if (closed) {
            // close() ran meanwhile and may have missed this one.
            subscriptions.remove(subscription);
            throw new IllegalStateException("this outbox is closed; create a new one to consume " + channel);
        }
        subscription.start();
        return subscription;
    }

    @Override
    public DeadLetters deadLetters() {
        return outcomes.deadLetters();
    }

    /** The tenant's record for {@code id}, in whatever state it is; empty when the tenant has no such record. */
    public Optional<OutboxRecord> find(TenantId tenant, MessageId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return table.find(tenant, id);
    }

    /**
     * Deletes the {@link OutboxStatus#DONE} records, of every tenant, last changed more than {@code olderThan} ago;
     * a retention job for the host to schedule. Once a record is deleted its idempotency key no longer deduplicates.
     * Dead letters are kept until replayed or purged one by one.
     *
     * @return how many records were deleted
     */
    public int purgeCompleted(Duration olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative, was " + olderThan);
        }
        int purged = table.purgeDone(clock.millis() - olderThan.toMillis());
        if (purged > 0) {
            log.info("irisx outbox: purged {} completed record(s) older than {}", purged, olderThan);
        }
        return purged;
    }

    /** Closes every subscription (each waiting for its deliveries in progress); the database stays open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<JdbcSubscription> open = List.copyOf(subscriptions);
        open.forEach(JdbcSubscription::close);
        log.info("irisx outbox {}: closed ({} subscription(s) stopped)", instance, open.size());
    }

    @Override
    public String toString() {
        return "JdbcOutbox[" + instance + " on " + database + (closed ? ", closed]" : "]");
    }

    /** Hands each envelope's id to this process's workers of its channel, which claim it as soon as one is free. */
    @Override
    public void committed(Collection<Envelope> envelopes) {
        envelopes.forEach(envelope -> committed(envelope.channel(), envelope.id()));
    }

    private void committed(Channel channel, MessageId id) {
        for (JdbcSubscription subscription : subscriptions) {
            if (subscription.channel() == channel) {
                subscription.committed(id);
            }
        }
    }

    private void wake(Channel channel) {
        for (JdbcSubscription subscription : subscriptions) {
            if (subscription.channel() == channel) {
                subscription.wake();
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this outbox is closed");
        }
    }
}
