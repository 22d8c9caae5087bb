package io.irisx.queue;

import io.irisx.core.Channel;
import io.irisx.core.event.EventSink;
import io.irisx.core.health.Health;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.DeadLetters;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Handler;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.outbox.spi.BrokerStreams;
import io.irisx.core.outbox.spi.ClaimAtQueue;
import io.irisx.core.outbox.spi.OutboxClaims;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import io.irisx.core.outbox.spi.OutboxRelayStore;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.store.Database;
import io.irisx.core.store.StoreException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Outbox}: the outbox table in the runtime's database, a relay that moves committed records to
 * NATS JetStream, and durable pull consumers that every worker process shares; thread-safe, and meant to be shared.
 *
 * <p><b>No dual write.</b> {@link #publish(Envelope)} and {@link #publish(java.sql.Connection, Envelope)} only write
 * the outbox table, in one transaction that may be the host's own. The relay (one per outbox, in every process)
 * publishes committed records to the channel's stream with {@code Nats-Msg-Id} set to the message id, and commits their
 * mark as published (their ids deleted from the narrow table of unpublished records) only once the stream has
 * acknowledged them (the mark is written, uncommitted, while the stream works, and taken back for any record it did not
 * acknowledge). A process killed at any instant leaves either no record, or a record that a relay publishes; a record
 * published twice (a relay died between the stream's acknowledgement and its commit) is dropped by the stream within
 * its duplicate window, and after it by the worker, which finds the record done.
 *
 * <p><b>Work queued beside a free handler.</b> An envelope queued ({@link #publish(Envelope)}, {@link #inTransaction})
 * while a worker of its channel in this process has a handler free (or, while its handlers are quick, a place in line
 * behind them) is queued claimed for that worker, as its first try, and handed to a handler once committed: it never
 * goes through the relay or the broker, which carry only what this process cannot take at once. Should it have to be
 * tried again, it is made unpublished in the transaction that records the failure, and goes through the broker from
 * then on. Should its process die before recording its outcome, its claim lapses (a long handler keeps it, every
 * third of the claim timeout) and the sweep relays it, as a try that lapsed.
 *
 * <p><b>Workers.</b> {@link #consume} binds to the channel's durable pull consumer ({@code irisx-<channel>}), which
 * every process shares, so adding processes adds workers. Before handling a delivery a worker claims the message's
 * record in the table, which says whether the work is due, held by another worker, done or dead: a redelivered
 * message that was handled already is acknowledged and skipped. Retry delays come from the {@link
 * io.irisx.core.retry.RetryPolicy} and the runtime's clock: the worker records the next due time in the table and
 * answers the broker with a NAK delayed until then (at most {@link Builder#recheckInterval(Duration)}, after which
 * a worker looks again). Tries are counted in the table under the policy's {@code maxAttempts} (6 by default);
 * the consumer's own MaxDeliver is unlimited, since a server that gave up on a message would drop it silently.
 * Long work is kept alive with in-progress acknowledgements every third of the AckWait (the options' claim
 * timeout). A failure for good, or the last try failing, makes a dead letter in the table, with the stream
 * sequence, and terminates the message.
 *
 * <p><b>Streams.</b> A channel's stream is set up when this outbox first needs it: when a worker of the channel
 * starts ({@link #consume} throws a {@link StreamSetupException} naming the stream, the server's error and what to do
 * when the server refuses it), or when the relay has the channel's first record (which waits in the table while the
 * stream cannot be set up). A server thus holds streams only for the channels the installed modules use, and a setup
 * that fails leaves no stream behind. A stream found created anew since the relay put records on it (the server came
 * back without its store, or the stream was deleted) makes every unfinished record relayed to it unpublished again,
 * for the relay to publish at once; the outbox looks when the connection comes back and every sweep interval.
 *
 * <p>Needs NATS server 2.7.1 or newer (NAK with delay); Debian's {@code nats-server} 2.9 works.
 */
public final class JetStreamOutbox implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(JetStreamOutbox.class);

    private final OutboxTable table;
    private final OutboxOutcomes outcomes;
    private final OutboxClaims claims;
    private final OutboxRelayStore relayStore;
    private final BrokerStreams brokerStreams;
    private final Clock clock;
    private final Connection connection;
    private final boolean ownsConnection;
    /** The daemon threads of the connection the outbox opened; null when the host gave the connection. */
    private final NatsThreads natsThreads;
    private final Map<Channel, StreamSettings> streams;
    private final ChannelStreams channelStreams;
    private final ConnectionListener reconnected;
    private final String consumerPrefix;
    private final Duration recheckInterval;
    private final Duration sweepInterval;
    private final ScheduledExecutorService sweeper;
    private final OutboxRelay relay;
    private final ClaimAtQueue queueing;
    private final String instance;
    private final AtomicInteger subscriptionCount = new AtomicInteger();
    private final Set<StreamWorker> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private JetStreamOutbox(Builder b, Database database, Clock clock, EventSink events, Connection connection,
            NatsThreads natsThreads) {
        this.clock = clock;
        this.connection = connection;
        this.ownsConnection = natsThreads != null;
        this.natsThreads = natsThreads;
        this.streams = Map.copyOf(b.streams());
        this.consumerPrefix = b.namespace.isEmpty() ? "irisx" : b.namespace + "-irisx";
        this.recheckInterval = b.recheckInterval;
        this.sweepInterval = b.sweepInterval;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "irisx-outbox-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        this.instance = "p" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.table = OutboxTable.forRelay(database, clock);
        this.outcomes = OutboxOutcomes.create(table, channel -> wakeRelay(), events);
        this.claims = OutboxClaims.create(table, outcomes);
        this.relayStore = OutboxRelayStore.create(table);
        this.brokerStreams = BrokerStreams.create(table);
        this.channelStreams = new ChannelStreams(connection, this.streams, brokerStreams, instance, this::wakeRelay,
                this::rebindWorkers);
        this.relay = new OutboxRelay(connection, channelStreams, b.relayBatchSize, b.relayInterval, b.relayThreads,
                instance);
        this.queueing = ClaimAtQueue.of(table, subscriptions, this::committed);
        // A server that comes back may have come back without its store: look at the streams at once.
        this.reconnected = (conn, event) -> {
            if (event == ConnectionListener.Events.RECONNECTED) {
                checkStreamsSoon();
            }
        };
    }

    /** A builder holding the defaults; it connects to {@code nats://127.0.0.1:4222} unless told otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the relay and the sweeper. No stream is created yet: each channel's is set up when first needed (see
     * {@link ChannelStreams}), so a server holds streams only for the channels the installed modules use.
     */
    private JetStreamOutbox start() {
        int adopted = relayStore.adopt();
        if (adopted > 0) {
            log.info("irisx JetStream outbox {}: {} record(s) a database outbox queued in this table still wait;"
                    + " relaying them", instance, adopted);
        }
        connection.addConnectionListener(reconnected);
        relay.start(relayStore);
        sweeper.scheduleWithFixedDelay(this::sweep, sweepInterval.toMillis(), sweepInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("irisx JetStream outbox {}: relaying to {}; each channel's stream is set up when first used", instance,
                connection.getConnectedUrl());
        return this;
    }

    private void wakeRelay() {
        relay.wake();
    }

    /** Tells the workers of {@code channel} to bind again, to the consumer on its stream created anew. */
    private void rebindWorkers(Channel channel) {
        subscriptions.stream().filter(worker -> worker.channel() == channel).forEach(StreamWorker::rebind);
    }

    private void checkStreamsSoon() {
        if (closed) {
            return;
        }
        try {
            sweeper.execute(channelStreams::verify);
        } catch (RejectedExecutionException e) {
            log.debug("irisx JetStream outbox {}: closed while reconnecting", instance);
        }
    }

    /**
     * Looks at the streams set up so far (see {@link ChannelStreams#verify()}), relays the records whose worker in
     * this or another process stopped before recording their outcome (they were queued claimed for it, and their
     * claims lapsed), then puts back on the streams what they dropped: a record published (or last claimed) longer
     * ago than its stream's max age and still waiting is gone from the stream (work-queue retention removes only what
     * is acknowledged, max age removes the rest), so it is marked unpublished for the relay to publish again.
     */
    private void sweep() {
        channelStreams.verify();
        relayLapsedClaims();
        try {
            int swept = 0;
            for (Map.Entry<Channel, StreamSettings> stream : streams.entrySet()) {
                swept += brokerStreams.unpublishStale(stream.getKey(),
                        clock.millis() - stream.getValue().maxAge().toMillis());
            }
            if (swept > 0) {
                log.warn("irisx JetStream outbox {}: {} record(s) outlived their stream's max age unhandled;"
                        + " publishing them again", instance, swept);
                relay.wake();
            }
        } catch (RuntimeException e) {
            log.warn("irisx JetStream outbox {}: looking for records older than their stream failed: {}", instance,
                    e.toString());
        }
    }

    /**
     * Relays the records queued claimed for a worker that stopped before recording their outcome (its process died,
     * likely): their claims lapsed, and the broker never held them.
     */
    private void relayLapsedClaims() {
        try {
            int lapsed = 0;
            for (Channel channel : streams.keySet()) {
                lapsed += brokerStreams.relayLapsed(channel);
            }
            if (lapsed > 0) {
                log.warn("irisx JetStream outbox {}: {} record(s) claimed as they were queued were left unfinished by"
                        + " their worker (its claim lapsed); publishing them for the workers", instance, lapsed);
                relay.wake();
            }
        } catch (RuntimeException e) {
            log.warn("irisx JetStream outbox {}: looking for lapsed claims of records never published failed: {}",
                    instance, e.toString());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The envelope is queued with one statement, committed as it runs (auto-commit), and the relay publishes it at
     * once; or, when a worker of its channel in this process has room, it is queued claimed for that worker and handed
     * to a handler, as in {@link #inTransaction}.
     */
    @Override
    public MessageId publish(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        requireOpen();
        return queueing.publish(envelope);
    }

    /**
     * {@inheritDoc}
     *
     * <p>An envelope queued while a worker of its channel in this process has room (a handler free, or, while its
     * handlers are quick, a place in line behind them) is queued claimed for that worker and handed to a handler once
     * the transaction commits, without going through the broker: one statement where the broker's way takes the
     * relay's, the claim's and the broker's. The broker carries it only if it is to be tried again, or if its claim
     * lapses (the process died): the sweep, every {@link Builder#sweepInterval(Duration)}, relays such records. Every
     * other envelope goes to the relay, which publishes it once committed.
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
     * <p>The relay learns of the envelope at its next pass (every {@link Builder#relayInterval(Duration)}), as the
     * outbox cannot tell when the caller commits, or at once when told with {@link #committed(java.util.Collection)}.
     */
    @Override
    public MessageId publish(java.sql.Connection transaction, Envelope envelope) {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(envelope, "envelope");
        requireOpen();
        try {
            return table.insert(transaction, envelope);
        } catch (SQLException e) {
            throw StoreException.of("queueing " + envelope + " failed", e);
        }
    }

    /** Hands each envelope's id to the relay, which publishes it at once. */
    @Override
    public void committed(Collection<Envelope> envelopes) {
        envelopes.forEach(envelope -> relay.committed(envelope.id()));
    }

    @Override
    public Subscription consume(Channel channel, Handler handler, ConsumeOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        requireOpen();
        String owner = instance + "-" + channel.name().toLowerCase(Locale.ROOT) + "-"
                + subscriptionCount.incrementAndGet();
        String durable = consumerPrefix + "-" + channel.name().toLowerCase(Locale.ROOT);
        StreamWorker worker = new StreamWorker(connection, channel, channelStreams, durable, claims, outcomes, clock,
                handler, options, owner, recheckInterval, subscriptions::remove);
        subscriptions.add(worker);
        if (closed) {
            subscriptions.remove(worker);
            throw new IllegalStateException("this outbox is closed; create a new one to consume " + channel);
        }
        worker.start();
        return worker;
    }

    /**
     * The check {@code outbox}: UP while connected to NATS, DOWN otherwise (reconnecting, disconnected or closed),
     * with the connection's status. Records queued meanwhile wait in the outbox table.
     */
    @Override
    public Health.Check health() {
        Connection.Status status = connection.getStatus();
        String detail = "JetStream outbox: NATS connection " + status;
        return status == Connection.Status.CONNECTED ? Health.Check.up("outbox", detail)
                : new Health.Check("outbox", Health.Status.DOWN, detail + "; work waits in the outbox table");
    }

    @Override
    public DeadLetters deadLetters() {
        return outcomes.deadLetters();
    }

    /** The stream settings in use, channel by channel. */
    public Map<Channel, StreamSettings> streams() {
        return streams;
    }

    /**
     * Stops every subscription (each finishing its deliveries in progress and acknowledging them), then relays what
     * is still unpublished, once, and closes the NATS connection if the outbox opened it. The database stays open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        connection.removeConnectionListener(reconnected);
        List<StreamWorker> open = List.copyOf(subscriptions);
        open.forEach(StreamWorker::close);
        sweeper.shutdownNow();
        relay.close();
        if (ownsConnection) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                natsThreads.shutdown();
            }
        }
        log.info("irisx JetStream outbox {}: closed ({} subscription(s) stopped)", instance, open.size());
    }

    @Override
    public String toString() {
        return "JetStreamOutbox[" + instance + " on " + connection.getConnectedUrl() + (closed ? ", closed]" : "]");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this outbox is closed");
        }
    }

    /** Builds a {@link JetStreamOutbox}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private static final Pattern NAMESPACE = Pattern.compile("([A-Za-z0-9_-]{1,32})?");

        private String url = "nats://127.0.0.1:4222";
        private Connection connection;
        private String namespace = "";
        private int replicas = 1;
        private final Map<Channel, StreamSettings> overrides = new EnumMap<>(Channel.class);
        private int relayBatchSize = 256;
        private int relayThreads = 2;
        private Duration relayInterval = Duration.ofMillis(100);
        private Duration recheckInterval = Duration.ofMinutes(5);
        private Duration sweepInterval = Duration.ofMinutes(1);

        private Builder() {
        }

        /**
         * The NATS server (or cluster seed) to connect to; the outbox owns and closes this connection, whose threads
         * are daemon threads (a host that forgets to close the outbox can still exit).
         */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            if (!url.matches("(nats|tls)://[^\\s]+(,(nats|tls)://[^\\s,]+)*")) {
                throw new IllegalArgumentException("url must be nats://host:port (or tls://, comma-separated), was '"
                        + url.replaceAll("//[^@/]*@", "//***@") + "'");
            }
            this.url = url;
            this.connection = null;
            return this;
        }

        /** A connection the host opened (with its own auth and TLS); the host closes it after the outbox. */
        public Builder connection(Connection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /**
         * Puts every stream, subject and consumer under {@code namespace} ({@code NS_SMS}, {@code NS.sms.send},
         * {@code NS-irisx-sms}), so several IRISX installations share one NATS account; empty (the default) for
         * none.
         */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException("namespace must be up to 32 letters, digits, '_' or '-', was '"
                        + namespace + "'");
            }
            this.namespace = namespace;
            return this;
        }

        /** Copies of each default stream in a cluster: 1 (the default) for one server, 3 for a three-node cluster. */
        public Builder replicas(int replicas) {
            if (replicas < 1 || replicas > 5) {
                throw new IllegalArgumentException("replicas must be between 1 and 5, was " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /** Replaces the default stream of {@code channel} (names, subjects and limits); the namespace still applies. */
        public Builder stream(Channel channel, StreamSettings settings) {
            overrides.put(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /** Records the relay publishes per pass and awaits acknowledgements for, 1 to 10,000 (default 256). */
        public Builder relayBatchSize(int relayBatchSize) {
            if (relayBatchSize < 1 || relayBatchSize > 10_000) {
                throw new IllegalArgumentException("relayBatchSize must be between 1 and 10000, was " + relayBatchSize);
            }
            this.relayBatchSize = relayBatchSize;
            return this;
        }

        /**
         * Relay threads of this outbox, 1 to 16 (default 2): with a backlog, each publishes its own batch while
         * another's is written to the database. Every process's relay adds its own.
         */
        public Builder relayThreads(int relayThreads) {
            if (relayThreads < 1 || relayThreads > 16) {
                throw new IllegalArgumentException("relayThreads must be between 1 and 16, was " + relayThreads);
            }
            this.relayThreads = relayThreads;
            return this;
        }

        /**
         * How often the relay looks for records committed in callers' own transactions, 1 ms to 1 min (default
         * 100 ms); records published with {@link #publish(Envelope)} in this process go at once.
         */
        public Builder relayInterval(Duration relayInterval) {
            this.relayInterval = between(relayInterval, "relayInterval", Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /**
         * The longest a waiting retry stays on the broker before a worker compares its due time with the clock
         * again, 10 ms to 1 day (default 5 min). Delays up to this are one delayed redelivery.
         */
        public Builder recheckInterval(Duration recheckInterval) {
            this.recheckInterval = between(recheckInterval, "recheckInterval", Duration.ofMillis(10), Duration.ofDays(1));
            return this;
        }

        /**
         * How often this outbox looks for records that outlived their stream's max age unhandled (no worker ran
         * that long, or the stream was purged by hand) to publish them again, for records queued claimed whose claim
         * lapsed before their worker recorded them, to publish them, and at its streams for one deleted or created
         * anew, 10 ms to 1 day (default 1 min).
         */
        public Builder sweepInterval(Duration sweepInterval) {
            this.sweepInterval = between(sweepInterval, "sweepInterval", Duration.ofMillis(10), Duration.ofDays(1));
            return this;
        }

        /**
         * Connects (if no connection was given), migrates irisx-queue's table, and starts the relay; each channel's
         * stream is created, or brought to its settings, when first used.
         */
        public JetStreamOutbox build(Database database, Clock clock) {
            return build(database, clock, EventSink.logging());
        }

        /**
         * As {@link #build(Database, Clock)}, emitting {@code message.dead_lettered} to {@code events} in the
         * transaction that stores each dead letter.
         */
        public JetStreamOutbox build(Database database, Clock clock, EventSink events) {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(events, "events");
            Connection conn = connection;
            NatsThreads threads = conn == null ? NatsThreads.create() : null;
            if (threads != null) {
                try {
                    conn = connect(url, threads);
                } catch (RuntimeException e) {
                    threads.shutdown();
                    throw e;
                }
            }
            try {
                return new JetStreamOutbox(this, database, clock, events, conn, threads).start();
            } catch (RuntimeException e) {
                if (threads != null) {
                    try {
                        conn.close();
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    } finally {
                        threads.shutdown();
                    }
                }
                throw e;
            }
        }

        /** The factory to hand to the runtime's builder: {@code Irisx.builder().outbox(builder.factory())}. */
        public Outbox.Factory factory() {
            return this::build;
        }

        private Map<Channel, StreamSettings> streams() {
            Map<Channel, StreamSettings> streams = new EnumMap<>(Channel.class);
            for (Channel channel : Channel.values()) {
                StreamSettings settings = overrides.getOrDefault(channel,
                        StreamSettings.defaults(channel).withReplicas(replicas));
                streams.put(channel, namespace.isEmpty() ? settings : settings.namespaced(namespace));
            }
            return streams;
        }

        private static Connection connect(String url, NatsThreads threads) {
            Options options = threads.applyTo(Options.builder())
                    .server(url)
                    .connectionName("irisx-outbox")
                    // Never give up on the broker: the outbox table holds the work meanwhile.
                    .maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(500))
                    .build();
            try {
                return Nats.connect(options);
            } catch (IOException e) {
                throw new IllegalStateException("cannot connect to NATS at " + url.replaceAll("//[^@/]*@", "//***@")
                        + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while connecting to NATS", e);
            }
        }

        private static Duration between(Duration value, String name, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }
    }
}
