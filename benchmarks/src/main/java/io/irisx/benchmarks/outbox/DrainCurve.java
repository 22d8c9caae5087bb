package io.irisx.benchmarks.outbox;

import io.irisx.benchmarks.Programs;
import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.store.Database;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The outbox suite's {@code drain-curve} part: how fast JdbcOutbox on PostgreSQL drains a backlog, by the backlog's
 * size. For each size (20,000, 200,000 and 1,000,000 records of 512 bytes; {@code
 * -Dirisx.bench.drain.sizes=20000,200000} to choose) it queues the backlog, 1,000 records per transaction, analyses
 * the table, then times 16 no-op handlers through the first 20,000 records: the rate while that many are queued, so
 * that every size is measured over the same work. The smallest size is drained once untimed first, to warm up. Prints
 * one line per size, beside the rate at the smallest: a cost flat in the backlog's size gives ratios near 1.
 */
final class DrainCurve {

    private static final TenantId TENANT = TenantId.of("bench");
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String PAYLOAD = "x".repeat(512);
    private static final int MEASURED = 20_000;

    private DrainCurve() {
    }

    /** Runs the part on the PostgreSQL database at {@code postgresUrl}, in a schema of its own dropped afterwards. */
    static void run(String postgresUrl) throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("irisx.bench.drain.sizes", "20000,200000,1000000").split(","))
                .mapToInt(size -> Integer.parseInt(size.trim())).toArray();
        String schema = "irisx_drain_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Programs.execute(postgresUrl, "CREATE SCHEMA " + schema);
        try (Database database = Database.connect(postgresUrl + (postgresUrl.contains("?") ? "&" : "?")
                + "currentSchema=" + schema, null, null, 32)) {
            database.migrate("core");
            drain(database, sizes[0]);
            double first = Double.NaN;
            for (int size : sizes) {
                double rate = drain(database, size);
                first = Double.isNaN(first) ? rate : first;
                Programs.print("outbox.drain-curve jdbc+postgres, " + size + " queued (first " + MEASURED
                        + " drained)", rate, first, "jobs/s", "the same at " + sizes[0] + " queued", true);
            }
        } finally {
            Programs.execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static double drain(Database database, int size) throws Exception {
        Programs.truncate(database, "irisx_outbox", "irisx_outbox_unpublished");
        OutboxTable table = OutboxTable.forClaims(database, CLOCK);
        for (int queued = 0; queued < size; queued += 1000) {
            int batch = Math.min(1000, size - queued);
            database.inTransaction(connection -> {
                for (int i = 0; i < batch; i++) {
                    table.insert(connection, Envelope.of(TENANT, Channel.EMAIL, PAYLOAD));
                }
                return null;
            });
        }
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.execute("ANALYZE irisx_outbox");
            }
        });
        int measured = Math.min(MEASURED, size);
        CountDownLatch handled = new CountDownLatch(measured);
        try (JdbcOutbox outbox = JdbcOutbox.create(database, CLOCK)) {
            long start = System.nanoTime();
            try (Subscription subscription = outbox.consume(Channel.EMAIL, delivery -> {
                handled.countDown();
                return Outcome.done();
            }, ConsumeOptions.builder().concurrency(16).batchSize(64).pollInterval(Duration.ofMillis(100)).build())) {
                if (!handled.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("only " + (measured - handled.getCount()) + " of " + measured
                            + " records were handled within 10 minutes");
                }
                return Programs.perSecond(measured, System.nanoTime() - start);
            }
        }
    }
}
