package io.irisx.benchmarks.outbox;

import static io.irisx.benchmarks.Programs.execute;
import static io.irisx.benchmarks.Programs.median;
import static io.irisx.benchmarks.Programs.natsUrl;
import static io.irisx.benchmarks.Programs.parallel;
import static io.irisx.benchmarks.Programs.parts;
import static io.irisx.benchmarks.Programs.perSecond;
import static io.irisx.benchmarks.Programs.postgresUrl;
import static io.irisx.benchmarks.Programs.print;
import static io.irisx.benchmarks.Programs.printLatencies;
import static io.irisx.benchmarks.Programs.truncate;

import io.irisx.benchmarks.Programs;
import io.irisx.benchmarks.Report;
import io.irisx.benchmarks.outbox.peers.PeersBenchmark;
import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.store.Database;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The {@code outbox} suite, an end-to-end benchmark run as a program: each IRISX figure beside its peer or limit,
 * measured in the same run on the same NATS server and PostgreSQL, with 512-byte payloads. Prints one {@code bench:}
 * line per comparison (see {@link Report#line}). Every figure is the median of three measured rounds after warm-up
 * rounds (see Programs#median).
 *
 * <p>The relay from the outbox table to JetStream is compared twice: with raw jnats publishAsync of messages held in
 * memory, the broker's limit, and with a hand-written relay from a minimal PostgreSQL table, the limit of relaying
 * from a database table on the same machine, which must also read every record and mark it published.
 */
public final class OutboxBenchmark {

    private static final String PAYLOAD = "x".repeat(512);
    private static final byte[] PAYLOAD_BYTES = PAYLOAD.getBytes(StandardCharsets.UTF_8);
    private static final TenantId TENANT = TenantId.of("bench");
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Set<String> PARTS = Set.of("relay", "send", "jetstream", "jdbc-h2", "jdbc-postgres",
            "peers", "drain-curve", "scale");

    private final String natsUrl;
    private final String postgresUrl;
    private final List<String> namespaces = new ArrayList<>();

    private final Set<String> parts;

    private OutboxBenchmark(String natsUrl, String postgresUrl, Set<String> parts) {
        this.natsUrl = natsUrl;
        this.postgresUrl = postgresUrl;
        this.parts = parts;
    }

    /**
     * Runs the suite; arguments, if any, name the parts to run: {@code relay}, {@code send}, {@code jetstream},
     * {@code jdbc-h2}, {@code jdbc-postgres}, {@code peers} (see {@link PeersBenchmark}), {@code drain-curve} (see
     * {@link DrainCurve}), {@code scale} (see {@link ScaleCurve}).
     */
    public static void main(String[] args) throws Exception {
        Set<String> parts = parts(args, PARTS);
        if (parts.contains("peers")) {
            PeersBenchmark.run(natsUrl(), postgresUrl());
        }
        if (parts.contains("drain-curve")) {
            DrainCurve.run(postgresUrl());
        }
        if (parts.contains("scale")) {
            ScaleCurve.run(natsUrl(), postgresUrl());
        }
        if (!Set.of("peers", "drain-curve", "scale").containsAll(parts)) {
            new OutboxBenchmark(natsUrl(), postgresUrl(), parts).run();
        }
    }

    private void run() throws Exception {
        String schema = "irisx_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(postgresUrl, "CREATE SCHEMA " + schema);
        Path h2Directory = Files.createTempDirectory("irisx-bench-h2");
        try (Database postgres = Database.connect(postgresUrl + (postgresUrl.contains("?") ? "&" : "?")
                + "currentSchema=" + schema, null, null, 40);
                Database h2 = Database.connect("jdbc:h2:file:" + h2Directory.resolve("irisx")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0", null,
                        null, 40)) {
            postgres.migrate("core");
            h2.migrate("core");
            if (parts.contains("relay")) {
                relay(postgres);
            }
            if (parts.contains("send")) {
                sendTransaction(postgres);
            }
            if (parts.contains("jetstream")) {
                String raw = newNamespace();
                try (Outbox streams = jetStream(postgres, raw, Duration.ofMinutes(1))) {
                    // Only creates the raw peer's streams, beside those of the outboxes measured.
                }
                endToEnd("jetstream+postgres", () -> jetStream(postgres, newNamespace(), Duration.ofMillis(100)),
                        postgres, rawJetStreamEndToEnd(raw), "raw jnats publishAsync -> pull -> ack");
            }
            if (parts.contains("jdbc-h2")) {
                endToEnd("jdbc+h2", () -> JdbcOutbox.create(h2, CLOCK), h2, bareDatabaseQueue(h2),
                        "bare JDBC insert, then select-for-update + delete");
            }
            if (parts.contains("jdbc-postgres")) {
                endToEnd("jdbc+postgres", () -> JdbcOutbox.create(postgres, CLOCK), postgres,
                        bareDatabaseQueue(postgres), "bare JDBC insert, then select-for-update + delete");
            }
        } finally {
            execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
            deleteStreams();
        }
    }

    // ---- JetStream publishing: the relay vs raw publishAsync and vs a hand-written relay ----------------------

    /**
     * IRISX's relay publishing a backlog of 50,000 outbox records to the EMAIL stream, beside two peers measured in
     * the same run on the same stream. Raw jnats publishAsync of the messages held in memory is the broker's limit;
     * no relay reaches it, as a relay must also read every record from the database and mark it published, on the
     * same machine as the broker and the database. A hand-written relay from a minimal PostgreSQL table (delete 1,000
     * rows with RETURNING, publish them, await their acknowledgements, commit; as many threads as IRISX's relay) is
     * the least any transactional-outbox relay must do, and so the limit of relaying from a database table.
     */
    private void relay(Database database) throws Exception {
        int count = 50_000;
        int threads = 2;
        String namespace = newNamespace();
        OutboxTable table = OutboxTable.forRelay(database, CLOCK);
        executeIn(database, "CREATE TABLE bench_relay (id VARCHAR(40) PRIMARY KEY, payload TEXT NOT NULL)");
        double ours = median(round -> {
            backlog(database, count, connection -> table.insert(connection, Envelope.of(TENANT, Channel.EMAIL,
                    PAYLOAD)), "irisx_outbox", "irisx_outbox_unpublished");
            long start = System.nanoTime();
            try (Outbox outbox = jetStream(database, namespace, Duration.ofMinutes(1))) {
                // An index lookup, not a count: the watching must not load the database the relay works on.
                while (count(database,
                        "SELECT COUNT(*) FROM (SELECT 1 FROM irisx_outbox_unpublished LIMIT 1) unpublished") > 0) {
                    Thread.sleep(20);
                }
                return perSecond(count, System.nanoTime() - start);
            } finally {
                purge(namespace + "_EMAIL");
            }
        });
        String subject = namespace + ".email.send";
        double raw;
        double handWritten;
        try (Connection nats = Nats.connect(natsUrl)) {
            JetStream jetStream = nats.jetStream();
            raw = median(round -> {
                long start = System.nanoTime();
                List<CompletableFuture<PublishAck>> acks = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    acks.add(jetStream.publishAsync(subject, null, PAYLOAD_BYTES,
                            PublishOptions.builder().messageId("raw-" + round + "-" + i).build()));
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
                double rate = perSecond(count, System.nanoTime() - start);
                purge(namespace + "_EMAIL");
                return rate;
            });
            handWritten = median(round -> {
                // Fresh message ids each round: the stream's duplicate window drops none of them.
                backlog(database, count, OutboxBenchmark::insertRelayRow, "bench_relay");
                long start = System.nanoTime();
                // One unit of work per thread: each relays batches until it finds the table empty.
                parallel(threads, threads, i -> relayUntilEmpty(database, jetStream, subject));
                double rate = perSecond(count, System.nanoTime() - start);
                purge(namespace + "_EMAIL");
                return rate;
            });
        }
        print("outbox.jetstream-publish (relay from the outbox table)", ours, raw, "msg/s",
                "raw jnats publishAsync with Nats-Msg-Id, same stream", true);
        print("outbox.jetstream-publish vs a hand-written relay", ours, handWritten, "msg/s",
                "bare JDBC: delete-returning 1,000 rows per transaction from a PostgreSQL table, publishAsync,"
                        + " await acks, commit; " + threads + " threads", true);
    }

    /**
     * Empties {@code tables}, commits {@code count} rows, 1,000 per transaction, each written by {@code row}, then
     * analyses {@code tables}: a table holding a backlog this size has been analysed by autovacuum by the time a relay
     * catches up.
     */
    private static void backlog(Database database, int count, Database.TransactionalWork<?> row, String... tables) {
        truncate(database, tables);
        for (int done = 0; done < count; done += 1000) {
            database.inTransaction(connection -> {
                for (int i = 0; i < 1000; i++) {
                    row.run(connection);
                }
                return null;
            });
        }
        for (String table : tables) {
            executeIn(database, "ANALYZE " + table);
        }
    }

    private static int insertRelayRow(java.sql.Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO bench_relay (id, payload) VALUES (?, ?)")) {
            insert.setString(1, MessageId.generate().value());
            insert.setString(2, PAYLOAD);
            return insert.executeUpdate();
        }
    }

    /**
     * The hand-written relay's thread: on a connection of its own, each transaction deletes the first 1,000 rows of
     * {@code bench_relay} that no other transaction holds, publishes them with their ids as Nats-Msg-Id, awaits every
     * acknowledgement and commits; until a transaction finds no row.
     */
    private static void relayUntilEmpty(Database database, JetStream jetStream, String subject) throws Exception {
        try (java.sql.Connection connection = database.dataSource().getConnection();
                PreparedStatement claim = connection.prepareStatement("DELETE FROM bench_relay WHERE id IN (SELECT id"
                        + " FROM bench_relay ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED) RETURNING id, payload")) {
            connection.setAutoCommit(false);
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>(1000);
            do {
                acks.clear();
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        acks.add(jetStream.publishAsync(subject, null,
                                rows.getString(2).getBytes(StandardCharsets.UTF_8),
                                PublishOptions.builder().messageId(rows.getString(1)).build()));
                    }
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
                connection.commit();
            } while (!acks.isEmpty());
        }
    }

    // ---- The send transaction: message row + outbox record vs a bare insert ------------------------------------

    private void sendTransaction(Database database) throws Exception {
        int count = 4000;
        int threads = 4;
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bench_message (id VARCHAR(40) PRIMARY KEY, tenant_id VARCHAR(64)"
                        + " NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL)");
            }
            return null;
        });
        try (JdbcOutbox outbox = JdbcOutbox.create(database, CLOCK)) {
            double ours = median(round -> parallel(threads, count, i -> database.inTransaction(connection -> {
                Envelope envelope = Envelope.of(TENANT, Channel.EMAIL, PAYLOAD);
                insertMessage(connection, envelope.id());
                return outbox.publish(connection, envelope);
            })));
            double peer = median(round -> parallel(threads, count, i -> database.inTransaction(connection -> {
                insertMessage(connection, MessageId.generate());
                return null;
            })));
            print("outbox.send-transaction (message row + outbox record, PostgreSQL, 4 threads)", ours, peer,
                    "sends/s", "bare JDBC insert of the message row alone", true);
        }
    }

    private static void insertMessage(java.sql.Connection connection, MessageId id) throws java.sql.SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO bench_message (id, tenant_id, payload, created_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, id.value());
            insert.setString(2, TENANT.value());
            insert.setString(3, PAYLOAD);
            insert.setLong(4, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    // ---- End to end: send -> handler -> done ------------------------------------------------------------------

    /** A peer's end-to-end path: throughput over {@code count} messages, and one message's latencies. */
    private interface Peer {
        double throughput(int count) throws Exception;

        long[] latencies(int count) throws Exception;
    }

    @FunctionalInterface
    private interface OutboxFactory {
        Outbox open() throws Exception;
    }

    private void endToEnd(String name, OutboxFactory factory, Database database, Peer peer, String peerName)
            throws Exception {
        int count = 10_000;
        int latencyCount = 300;
        double ours = median(round -> {
            truncate(database, "irisx_outbox", "irisx_outbox_unpublished");
            CountDownLatch handled = new CountDownLatch(count);
            try (Outbox outbox = factory.open()) {
                outbox.consume(Channel.EMAIL, delivery -> {
                    handled.countDown();
                    return Outcome.done();
                }, consumeOptions());
                return parallel(4, count, i -> outbox.publish(Envelope.of(TENANT, Channel.EMAIL, PAYLOAD)), handled);
            }
        });
        double peerRate = median(round -> peer.throughput(count));
        print("outbox.end-to-end " + name + " (send -> handler -> done)", ours, peerRate, "msg/s", peerName, true);

        long[] latencies;
        truncate(database, "irisx_outbox", "irisx_outbox_unpublished");
        try (Outbox outbox = factory.open()) {
            Map<MessageId, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
            outbox.consume(Channel.EMAIL, delivery -> {
                arrivals.computeIfAbsent(delivery.envelope().id(), id -> new CompletableFuture<>())
                        .complete(System.nanoTime());
                return Outcome.done();
            }, consumeOptions());
            latencies = new long[latencyCount + 50];
            for (int i = 0; i < latencies.length; i++) {
                Envelope envelope = Envelope.of(TENANT, Channel.EMAIL, PAYLOAD);
                long start = System.nanoTime();
                outbox.publish(envelope);
                latencies[i] = arrivals.computeIfAbsent(envelope.id(), id -> new CompletableFuture<>())
                        .get(30, TimeUnit.SECONDS) - start;
            }
        }
        long[] measured = Arrays.copyOfRange(latencies, 50, latencies.length);
        long[] peerLatencies = peer.latencies(latencyCount);
        printLatencies("outbox", name + " (send -> handler)", measured, peerLatencies, peerName);
    }

    private static ConsumeOptions consumeOptions() {
        return ConsumeOptions.builder().concurrency(16).batchSize(64).pollInterval(Duration.ofMillis(100)).build();
    }

    /** Raw jnats: publishAsync to a stream, one durable pull consumer, an ack per message. */
    private Peer rawJetStreamEndToEnd(String namespace) {
        String stream = namespace + "_EMAIL";
        String subject = namespace + ".email.send";
        return new Peer() {
            @Override
            public double throughput(int count) throws Exception {
                try (Connection nats = Nats.connect(natsUrl)) {
                    JetStreamSubscription subscription = rawConsumer(nats, stream, subject);
                    JetStream jetStream = nats.jetStream();
                    long start = System.nanoTime();
                    Future<?> publishing = Executors.newSingleThreadExecutor().submit(() -> {
                        for (int i = 0; i < count; i++) {
                            jetStream.publishAsync(subject, PAYLOAD_BYTES);
                        }
                        return null;
                    });
                    int received = 0;
                    while (received < count) {
                        Iterator<Message> messages = subscription.iterate(64, Duration.ofMillis(100));
                        while (messages.hasNext()) {
                            messages.next().ack();
                            received++;
                        }
                    }
                    publishing.get();
                    return perSecond(count, System.nanoTime() - start);
                }
            }

            @Override
            public long[] latencies(int count) throws Exception {
                try (Connection nats = Nats.connect(natsUrl)) {
                    JetStreamSubscription subscription = rawConsumer(nats, stream, subject);
                    JetStream jetStream = nats.jetStream();
                    long[] latencies = new long[count + 50];
                    for (int i = 0; i < latencies.length; i++) {
                        long start = System.nanoTime();
                        jetStream.publish(subject, PAYLOAD_BYTES);
                        Message message = null;
                        while (message == null) {
                            Iterator<Message> messages = subscription.iterate(1, Duration.ofSeconds(1));
                            if (messages.hasNext()) {
                                message = messages.next();
                            }
                        }
                        latencies[i] = System.nanoTime() - start;
                        message.ack();
                    }
                    return Arrays.copyOfRange(latencies, 50, latencies.length);
                }
            }
        };
    }

    private static JetStreamSubscription rawConsumer(Connection nats, String stream, String subject) throws Exception {
        nats.jetStreamManagement().addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable("raw")
                .filterSubject(subject).ackPolicy(AckPolicy.Explicit).maxAckPending(10_000).build());
        return nats.jetStream().subscribe(subject, PullSubscribeOptions.bind(stream, "raw"));
    }

    /** The database's own cost of a queue: insert a row in one transaction, then claim and delete it in another. */
    private static Peer bareDatabaseQueue(Database database) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS bench_queue (id VARCHAR(40) PRIMARY KEY,"
                        + " payload TEXT NOT NULL)");
            }
            return null;
        });
        return new Peer() {
            @Override
            public double throughput(int count) throws Exception {
                return parallel(4, count, i -> enqueueDequeue(database));
            }

            @Override
            public long[] latencies(int count) {
                long[] latencies = new long[count + 50];
                for (int i = 0; i < latencies.length; i++) {
                    long start = System.nanoTime();
                    enqueueDequeue(database);
                    latencies[i] = System.nanoTime() - start;
                }
                return Arrays.copyOfRange(latencies, 50, latencies.length);
            }
        };
    }

    private static Object enqueueDequeue(Database database) {
        String id = MessageId.generate().value();
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO bench_queue (id, payload) VALUES (?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, PAYLOAD);
                return insert.executeUpdate();
            }
        });
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, payload FROM bench_queue WHERE id = ? FOR UPDATE SKIP LOCKED");
                    PreparedStatement delete = connection.prepareStatement("DELETE FROM bench_queue WHERE id = ?")) {
                select.setString(1, id);
                select.executeQuery().close();
                delete.setString(1, id);
                return delete.executeUpdate();
            }
        });
    }

    // ---- Helpers ------------------------------------------------------------------------------------------------

    private Outbox jetStream(Database database, String namespace, Duration relayInterval) {
        return Programs.jetStream(natsUrl, namespace, relayInterval).build(database, CLOCK);
    }

    private String newNamespace() {
        String namespace = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        namespaces.add(namespace);
        return namespace;
    }

    private void purge(String stream) throws Exception {
        try (Connection nats = Nats.connect(natsUrl)) {
            nats.jetStreamManagement().purgeStream(stream);
        }
    }

    private void deleteStreams() throws Exception {
        for (String namespace : namespaces) {
            Programs.deleteStreams(natsUrl, namespace);
        }
    }

    private static void executeIn(Database database, String sql) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.execute(sql);
            }
        });
    }

    private static long count(Database database, String sql) {
        return database.withConnection(connection -> {
            try (Statement statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
