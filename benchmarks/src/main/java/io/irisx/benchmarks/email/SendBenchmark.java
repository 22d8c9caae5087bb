package io.irisx.benchmarks.email;

import static io.irisx.benchmarks.Programs.analyze;
import static io.irisx.benchmarks.Programs.awaitSent;
import static io.irisx.benchmarks.Programs.latencies;
import static io.irisx.benchmarks.Programs.median;
import static io.irisx.benchmarks.Programs.natsUrl;
import static io.irisx.benchmarks.Programs.onEmbeddedDefaults;
import static io.irisx.benchmarks.Programs.onJetStreamAndPostgres;
import static io.irisx.benchmarks.Programs.parallel;
import static io.irisx.benchmarks.Programs.parts;
import static io.irisx.benchmarks.Programs.perSecond;
import static io.irisx.benchmarks.Programs.postgresUrl;
import static io.irisx.benchmarks.Programs.print;
import static io.irisx.benchmarks.Programs.printLatencies;
import static io.irisx.benchmarks.Programs.truncate;

import io.irisx.benchmarks.Programs.Work;
import io.irisx.benchmarks.MachineCpu;
import io.irisx.benchmarks.Report;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The end-to-end part of the {@code email} suite, run as a program: emails from {@link EmailClient#send} to SENT,
 * queued in the send's transaction, relayed by the outbox, and sent by the {@link EmailModule}'s sender through the
 * {@link PostmarkProvider} to a local server speaking Postmark's Email API ({@link PostmarkServer}), beside two peers,
 * each on as many threads as the sender sends on, against the same server, with the same provider object:
 * <ul>
 *   <li>the limit of the provider path alone: the provider's {@code send} called in a loop. It stores nothing, so no
 *       sender that keeps each email and each status change can come near it where the database is the bottleneck
 *       (on PostgreSQL on two cores, the writes below alone peak at about a third of this loop's rate);</li>
 *   <li>a hand-written durable sender, what a user would otherwise put together: bare JDBC with prepared statements
 *       on the same database, through the runtime's connection pool, on minimal tables of its own. Per email, one
 *       transaction inserts the email row (QUEUED), a status-history row and a queue row; the provider sends the
 *       email; one transaction sets the email row to SENT with the provider's id for it and inserts a history row
 *       and an event queue row ({@code email.sent}); an auto-committed update marks the queue row done. These are
 *       the writes any sender that keeps every status must do, without the outbox's relay and the sender's
 *       claiming;</li>
 *   <li>the same hand-written sender doing, by hand, what the runtime does for each email beyond those writes: in
 *       the send's transaction it reads whether the tenant is suspended, whether the recipient is suppressed and the
 *       tenant's billing mode, and in the SENT one it writes a usage row keyed by the email. It shows how much of the
 *       gap to the first is the price of those checks.</li>
 * </ul>
 * Beside the first hand-written sender, a line gives the CPU every process of the machine spent per email, IRISX's
 * and the peer's, split into the database, this JVM and NATS (see {@link MachineCpu}).
 * Text bodies are 512 bytes.
 *
 * <p>Two parts: {@code jetstream}, on the JetStream outbox with PostgreSQL (the production setup), and
 * {@code embedded}, on the runtime's defaults (the JDBC outbox on an H2 file database). Each throughput is the median
 * of three measured rounds of 3,000 emails sent from four threads, after warm-up rounds (see Programs#median), the
 * tables analyzed before the first (see Programs#analyze); a round
 * ends when the server has accepted every email and the database holds every one as SENT. The peers' figures are
 * medians of rounds of the same size, on 32 threads. The tables are truncated between rounds. The {@code jetstream}
 * part also prints the latency from send to SENT observed, percentiles over 300 emails sent one at a time after 50
 * warm-up emails, beside one provider call's. Prints one {@code bench:} line per comparison (see {@link Report#line}).
 * Runs in a fresh PostgreSQL schema and namespaced streams, and a temporary H2 directory, all deleted at the end.
 */
public final class SendBenchmark {

    private static final TenantId TENANT = TenantId.of("bench");
    private static final String TOKEN = "bench-server-token";
    private static final int THREADS = 4;
    /**
     * The sender's concurrency, and the peer's threads. Each handler spends most of its time waiting on the database
     * (claim, read, status update, done): 32 keeps the sender up with four sending threads on PostgreSQL, where 8
     * fell behind and 64 did no better.
     */
    private static final int CONCURRENCY = 32;
    private static final int EMAILS = 3000;
    private static final int LATENCY_WARM_UP = 50;
    private static final int LATENCY_EMAILS = 300;
    private static final String FROM = "billing@acme.example";
    private static final String TO = "ada@example.com";
    private static final String SUBJECT = "Your receipt";
    private static final String TEXT = text(512);
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Set<String> PARTS = Set.of("jetstream", "embedded");
    private static final String[] TABLES = {"irisx_email_messages", "irisx_email_status_history", "irisx_outbox",
            "irisx_outbox_unpublished"};
    /** The hand-written durable sender's tables, in the same database as the runtime's. */
    private static final String[] DURABLE_TABLES = {"bench_email", "bench_email_history", "bench_queue",
            "bench_usage"};

    private final String natsUrl;
    private final String postgresUrl;
    private final Set<String> parts;

    private SendBenchmark(String natsUrl, String postgresUrl, Set<String> parts) {
        this.natsUrl = natsUrl;
        this.postgresUrl = postgresUrl;
        this.parts = parts;
    }

    /** Runs the benchmark; arguments, if any, name the parts to run: {@code jetstream}, {@code embedded}. */
    public static void main(String[] args) throws Exception {
        new SendBenchmark(natsUrl(), postgresUrl(), parts(args, PARTS)).run();
    }

    private void run() throws Exception {
        try (PostmarkServer server = PostmarkServer.start(TOKEN, 16)) {
            if (parts.contains("jetstream")) {
                jetStreamPart(server);
            }
            if (parts.contains("embedded")) {
                embeddedPart(server);
            }
        }
    }

    private void jetStreamPart(PostmarkServer server) throws Exception {
        PostmarkProvider provider = provider(server);
        onJetStreamAndPostgres(natsUrl, postgresUrl, 40, List.of(module(provider)),
                irisx -> measure(irisx, server, provider, "jetstream+postgres", true));
    }

    private void embeddedPart(PostmarkServer server) throws Exception {
        PostmarkProvider provider = provider(server);
        onEmbeddedDefaults("irisx-bench-email", List.of(module(provider)),
                irisx -> measure(irisx, server, provider, "embedded jdbc+h2", false));
    }

    private static PostmarkProvider provider(PostmarkServer server) {
        return PostmarkProvider.builder(TOKEN).baseUrl(server.baseUrl()).build();
    }

    /** The email channel sending through {@code provider}, which the runtime closes when it closes. */
    private static EmailModule module(PostmarkProvider provider) {
        return EmailModule.builder().provider(provider).concurrency(CONCURRENCY).build();
    }

    /** Measures on {@code irisx}, whose email module sends through {@code provider}: the peer runs on it, idle. */
    private static void measure(Irisx irisx, PostmarkServer server, PostmarkProvider provider, String name,
            boolean latency) throws Exception {
        EmailClient client = EmailClient.of(irisx.tenant(TENANT));
        Database database = irisx.database();
        Spent oursSpent = new Spent();
        double ours = median(round -> {
            if (round == 1) {
                analyze(database);
            }
            truncate(database, TABLES);
            server.reset();
            MachineCpu before = MachineCpu.read();
            long start = System.nanoTime();
            parallel(THREADS, EMAILS, i -> client.send(message()));
            server.await(EMAILS, WAIT);
            awaitSent(database, "irisx_email_messages", EMAILS, WAIT);
            long nanos = System.nanoTime() - start;
            oursSpent.add(round, before);
            server.checkAccepted(EMAILS);
            return perSecond(EMAILS, nanos);
        });
        double peer = peerRounds(database, server, () -> { }, i -> provider.send(outgoing()), new Spent());
        print("email.end-to-end " + name + " (send -> Postmark API accepted -> SENT)", ours, peer, "emails/s",
                "PostmarkProvider.send in a loop, same server, " + CONCURRENCY + " threads; sender concurrency "
                        + CONCURRENCY + ", " + THREADS + " sending threads",
                true);
        createDurableTables(database);
        Spent durableSpent = new Spent();
        double durable = peerRounds(database, server, () -> truncate(database, DURABLE_TABLES),
                i -> sendDurably(database, provider, false), durableSpent);
        String durableName = "bare JDBC: send and status transactions on " + databaseName(database)
                + " + PostmarkProvider.send, " + CONCURRENCY + " threads";
        print("email.end-to-end " + name + " vs a hand-written durable sender", ours, durable, "emails/s",
                durableName, true);
        print("email.cpu-per-email " + name + " vs a hand-written durable sender (db/jvm/nats: ours "
                + oursSpent.split() + ", peer " + durableSpent.split() + ")", oursSpent.perEmail().total() * 1e6,
                durableSpent.perEmail().total() * 1e6, "µs", durableName, false);
        Spent checkedSpent = new Spent();
        double checked = peerRounds(database, server, () -> truncate(database, DURABLE_TABLES),
                i -> sendDurably(database, provider, true), checkedSpent);
        print("email.end-to-end " + name + " vs a hand-written durable sender with the same checks (cpu db/jvm/nats: "
                + checkedSpent.split() + ")", ours, checked, "emails/s", durableName
                + ", and per email a tenant-suspension, a suppression and a credit-account read and a usage row",
                true);
        if (latency) {
            latency(client, database, server, provider, name);
        }
    }

    /**
     * The median rate of a peer sending {@link #EMAILS} emails a round on {@link #CONCURRENCY} threads, each email
     * by {@code send}; {@code prepare} readies the peer's state for each round.
     */
    private static double peerRounds(Database database, PostmarkServer server, Runnable prepare, Work send,
            Spent spent) throws Exception {
        return median(round -> {
            if (round == 1) {
                analyze(database);
            }
            prepare.run();
            server.reset();
            MachineCpu before = MachineCpu.read();
            double rate = parallel(CONCURRENCY, EMAILS, send);
            spent.add(round, before);
            server.checkAccepted(EMAILS);
            return rate;
        });
    }

    /**
     * The CPU every process of the machine spent over the measured rounds (see {@link MachineCpu}; the local
     * Postmark server runs in this JVM, so its share is in the JVM's).
     */
    private static final class Spent {
        private MachineCpu sum = new MachineCpu(0, 0, 0, 0);
        private int rounds;

        /** Adds what was spent since {@code before}, when {@code round} is a measured one. */
        void add(int round, MachineCpu before) throws IOException {
            if (round >= 1) {
                MachineCpu spent = MachineCpu.read().minus(before);
                sum = new MachineCpu(sum.self() + spent.self(), 0, sum.nats() + spent.nats(),
                        sum.postgres() + spent.postgres());
                rounds++;
            }
        }

        /** Seconds per email. */
        MachineCpu perEmail() {
            double scale = 1.0 / ((double) rounds * EMAILS);
            return new MachineCpu(sum.self() * scale, 0, sum.nats() * scale, sum.postgres() * scale);
        }

        /** The split per email in µs, as db/jvm/nats. */
        String split() {
            MachineCpu each = perEmail();
            return String.format(Locale.ROOT, "%.0f/%.0f/%.0f", each.postgres() * 1e6, each.self() * 1e6,
                    each.nats() * 1e6);
        }
    }

    // ---- The hand-written durable sender ----------------------------------------------------------------------

    private static void createDurableTables(Database database) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bench_email (id VARCHAR(40) PRIMARY KEY, tenant_id VARCHAR(64)"
                        + " NOT NULL, from_address VARCHAR(254) NOT NULL, to_address VARCHAR(254) NOT NULL,"
                        + " subject TEXT NOT NULL, text_body TEXT NOT NULL, status VARCHAR(16) NOT NULL,"
                        + " provider VARCHAR(64), provider_message_id VARCHAR(255), created_at BIGINT NOT NULL,"
                        + " updated_at BIGINT NOT NULL)");
                statement.execute("CREATE TABLE bench_email_history (id VARCHAR(40) PRIMARY KEY, email_id"
                        + " VARCHAR(40) NOT NULL, status VARCHAR(16) NOT NULL, provider VARCHAR(64),"
                        + " occurred_at BIGINT NOT NULL)");
                statement.execute("CREATE INDEX bench_email_history_email ON bench_email_history (email_id)");
                statement.execute("CREATE TABLE bench_queue (id VARCHAR(40) PRIMARY KEY, payload TEXT NOT NULL,"
                        + " status VARCHAR(16) NOT NULL)");
                statement.execute("CREATE TABLE bench_tenant (id VARCHAR(64) PRIMARY KEY,"
                        + " status VARCHAR(16) NOT NULL)");
                statement.execute("CREATE TABLE bench_suppression (tenant_id VARCHAR(64), address VARCHAR(254),"
                        + " PRIMARY KEY (tenant_id, address))");
                statement.execute("CREATE TABLE bench_account (tenant_id VARCHAR(64) PRIMARY KEY,"
                        + " billing_mode VARCHAR(16) NOT NULL)");
                statement.execute("CREATE TABLE bench_usage (usage_key VARCHAR(80) PRIMARY KEY, tenant_id VARCHAR(64)"
                        + " NOT NULL, quantity BIGINT NOT NULL, occurred_at BIGINT NOT NULL)");
                statement.execute("INSERT INTO bench_tenant VALUES ('" + TENANT.value() + "', 'ACTIVE')");
            }
            return null;
        });
    }

    /**
     * Sends one email as a hand-written sender that keeps every status would: stored with its queue row, sent,
     * stored as SENT with its event, and its queue row marked done. The queue row has the email's id, and the event
     * the history row's, as in the runtime's tables. When {@code checked}, it also does what the runtime does for
     * each email beyond that, as one would by hand on minimal tables: reads whether the tenant is suspended, whether
     * the recipient is suppressed and the tenant's billing mode in the send's transaction, and writes a usage row,
     * keyed by the email, in the SENT one.
     */
    private static void sendDurably(Database database, PostmarkProvider provider, boolean checked) {
        OutgoingEmail email = outgoing();
        String id = email.id().value();
        database.inTransaction(connection -> {
            long now = System.currentTimeMillis();
            if (checked) {
                select(connection, "SELECT status FROM bench_tenant WHERE id = ?", TENANT.value());
                select(connection, "SELECT address FROM bench_suppression WHERE tenant_id = ? AND address IN (?)",
                        TENANT.value(), TO);
                select(connection, "SELECT billing_mode FROM bench_account WHERE tenant_id = ?", TENANT.value());
            }
            update(connection, "INSERT INTO bench_email (id, tenant_id, from_address, to_address, subject, text_body,"
                    + " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?)",
                    id, TENANT.value(), FROM, TO, SUBJECT, TEXT, now, now);
            insertHistory(connection, id, "QUEUED", null, now);
            insertQueued(connection, id, "{\"type\":\"email.send\",\"tenant\":\"" + TENANT.value()
                    + "\",\"email\":\"" + id + "\"}");
            return null;
        });
        EmailReceipt receipt = provider.send(email);
        database.inTransaction(connection -> {
            long now = System.currentTimeMillis();
            update(connection, "UPDATE bench_email SET status = 'SENT', provider = ?, provider_message_id = ?,"
                    + " updated_at = ? WHERE id = ?", provider.name(), receipt.providerMessageId(), now, id);
            if (checked) {
                update(connection, "INSERT INTO bench_usage (usage_key, tenant_id, quantity, occurred_at)"
                        + " VALUES (?, ?, 1, ?)", id + ":EMAIL", TENANT.value(), now);
            }
            String event = insertHistory(connection, id, "SENT", provider.name(), now);
            insertQueued(connection, event, "{\"type\":\"email.sent\",\"tenant\":\"" + TENANT.value()
                    + "\",\"email\":\"" + id + "\",\"provider\":\"" + provider.name() + "\"}");
            return null;
        });
        database.withConnection(connection -> update(connection,
                "UPDATE bench_queue SET status = 'DONE' WHERE id = ?", id));
    }

    /** Inserts a history row for the email {@code id}; returns the row's id. */
    private static String insertHistory(Connection connection, String id, String status, String provider,
            long now) throws SQLException {
        String historyId = MessageId.generate().value();
        update(connection, "INSERT INTO bench_email_history (id, email_id, status, provider, occurred_at)"
                + " VALUES (?, ?, ?, ?, ?)", historyId, id, status, provider, now);
        return historyId;
    }

    private static void insertQueued(Connection connection, String id, String payload) throws SQLException {
        update(connection, "INSERT INTO bench_queue (id, payload, status) VALUES (?, ?, 'PENDING')", id, payload);
    }

    /** Runs one prepared query with {@code values}, reading its rows; returns how many there were. */
    private static int select(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, values)) {
            int rows = 0;
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    rows++;
                }
            }
            return rows;
        }
    }

    /** Runs one prepared statement with {@code values}; returns the number of rows it changed. */
    private static int update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, values)) {
            return statement.executeUpdate();
        }
    }

    /** {@code sql} prepared on {@code connection} with {@code values} bound in order; the caller closes it. */
    private static PreparedStatement prepare(Connection connection, String sql, Object... values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private static String databaseName(Database database) {
        return database.dialect() == Database.Dialect.POSTGRESQL ? "PostgreSQL" : "H2";
    }

    // ---- Latency: one email at a time, from send to SENT observed ---------------------------------------------

    private static void latency(EmailClient client, Database database, PostmarkServer server,
            PostmarkProvider provider, String name) throws Exception {
        truncate(database, TABLES);
        server.reset();
        long[] ours = latencies(LATENCY_WARM_UP, LATENCY_EMAILS, i -> {
            MessageId id = client.send(message());
            server.await(i + 1, WAIT);
            // The status is stored just after the provider answers: look for it until it is there.
            while (client.get(id).status() != EmailStatus.SENT) {
                LockSupport.parkNanos(50_000);
            }
        });
        // Each email is made before its send is timed, as the sender has it ready too.
        OutgoingEmail[] emails = new OutgoingEmail[LATENCY_WARM_UP + LATENCY_EMAILS];
        Arrays.setAll(emails, i -> outgoing());
        long[] peer = latencies(LATENCY_WARM_UP, LATENCY_EMAILS, i -> provider.send(emails[i]));
        printLatencies("email", name + " (send -> SENT observed)", ours, peer,
                "one PostmarkProvider.send, same server, one at a time");
    }

    // ---- Emails -------------------------------------------------------------------------------------------------

    private static EmailMessage message() {
        return EmailMessage.builder().from(FROM).to(TO).subject(SUBJECT).text(TEXT).build();
    }

    /** The email the sender hands the provider for {@link #message()}. */
    private static OutgoingEmail outgoing() {
        MessageId id = MessageId.generate();
        return new OutgoingEmail(id, TENANT, id.value(), EmailAddress.of(FROM), List.of(EmailAddress.of(TO)),
                List.of(), List.of(), List.of(), SUBJECT, TEXT, "", List.of(), Map.of(), List.of(), Map.of());
    }

    private static String text(int bytes) {
        String line = "Thank you for your order. Your receipt is attached below; keep it for your records.\n";
        return line.repeat(bytes / line.length() + 1).substring(0, bytes);
    }
}
