package io.irisx.queue.process;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.store.Database;
import io.irisx.queue.TestNats;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A worker or publisher process for the crash, restart and scale tests, run in a JVM of its own by {@link
 * io.irisx.core.testing.ChildJvm}: it opens the outbox the arguments describe, prints {@code ready}, and runs until its standard input
 * closes (then it closes the outbox gracefully) or it is killed.
 *
 * <p>Arguments, as {@code --name value}: {@code kind} (jetstream or jdbc), {@code jdbc} (the database's URL),
 * {@code nats} and {@code namespace} (for jetstream), {@code worker} (its name in the handled table), {@code mode}
 * ({@code work}: handle EMAIL envelopes, recording each handling in {@code irisx_test_handled}; {@code commit}:
 * queue one envelope in its own transaction, commit, print {@code committed <id>}, and wait, with no relay running:
 * the outbox record is written by the insert every outbox shares, as by a process killed before its relay's first
 * pass, which a relay started beside it could otherwise win; {@code claim}: consume EMAIL with a handler that
 * prints {@code handling <id>} and never returns, then queue one envelope, which a free handler of this process
 * takes), {@code concurrency}, {@code claim-millis}.
 */
public final class OutboxProcessMain {

    /** The workers' batch size: how many outcomes may wait to be recorded, beyond those being handled. */
    static final int BATCH_SIZE = 64;

    private OutboxProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String mode = options.getOrDefault("mode", "work");
        Database database = Database.connect(options.get("jdbc"), null, null, 10);
        Outbox outbox = null;
        if (mode.equals("commit")) {
            // What a JetStream outbox's publish writes, with no relay running to publish it.
            OutboxTable table = OutboxTable.forRelay(database, Clock.systemUTC());
            Envelope envelope = Envelope.of(TenantId.of("crash"), Channel.EMAIL, "committed, not yet published");
            try (Connection transaction = database.dataSource().getConnection()) {
                transaction.setAutoCommit(false);
                table.insert(transaction, envelope);
                transaction.commit();
            }
            System.out.println("committed " + envelope.id().value());
        } else if (mode.equals("claim")) {
            // A worker beside its publisher: the envelope is queued claimed for it, and its handler never returns.
            outbox = open(options, database, Duration.ofMillis(5));
            outbox.consume(Channel.EMAIL, delivery -> {
                System.out.println("handling " + delivery.envelope().id().value());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
                return Outcome.done();
            }, ConsumeOptions.builder().claimTimeout(Duration.ofMillis(Long.parseLong(
                    options.getOrDefault("claim-millis", "2000")))).build());
            outbox.publish(Envelope.of(TenantId.of("crash"), Channel.EMAIL, "claimed as it was queued"));
        } else {
            outbox = open(options, database, Duration.ofMillis(5));
            String worker = options.get("worker");
            outbox.consume(Channel.EMAIL, delivery -> {
                try (Connection connection = database.dataSource().getConnection();
                        PreparedStatement insert = connection.prepareStatement(
                                "INSERT INTO irisx_test_handled (message_id, worker, attempt) VALUES (?, ?, ?)")) {
                    insert.setString(1, delivery.envelope().id().value());
                    insert.setString(2, worker);
                    insert.setInt(3, delivery.attempt());
                    insert.executeUpdate();
                }
                return Outcome.done();
            }, ConsumeOptions.builder()
                    .concurrency(Integer.parseInt(options.getOrDefault("concurrency", "8")))
                    .batchSize(BATCH_SIZE)
                    .claimTimeout(Duration.ofMillis(Long.parseLong(options.getOrDefault("claim-millis", "2000"))))
                    .build());
        }
        System.out.println("ready");
        System.out.flush();
        awaitEndOfInput(System.in);
        if (outbox != null) {
            outbox.close();
        }
        database.close();
        System.out.println("closed");
    }

    static Outbox open(Map<String, String> options, Database database, Duration relayInterval) {
        if (options.get("kind").equals("jdbc")) {
            return JdbcOutbox.create(database, Clock.systemUTC());
        }
        return TestNats.outbox(options.get("nats"), options.get("namespace")).relayInterval(relayInterval)
                .build(database, Clock.systemUTC());
    }

    private static void awaitEndOfInput(InputStream in) throws IOException {
        while (in.read() != -1) {
            // Nothing is sent; the parent closes the stream to stop this process.
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
