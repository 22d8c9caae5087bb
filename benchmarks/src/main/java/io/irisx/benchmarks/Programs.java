package io.irisx.benchmarks;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.queue.JetStreamOutbox;
import io.irisx.queue.StreamSettings;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the end-to-end benchmark programs share: rounds and their median, parallel load, percentiles, output. */
public final class Programs {

    /** Measured rounds per figure, after the warm-up. */
    public static final int ROUNDS = 3;
    /** The longest each figure's warm-up rounds take. */
    public static final Duration WARM_UP = Duration.ofMinutes(2);

    private Programs() {
    }

    /** One round; {@code round} counts the measured ones from 1, and the warm-up ones down from 0. */
    @FunctionalInterface
    public interface Round {
        /** Runs the round and returns its figure. */
        double run(int round) throws Exception;
    }

    /** One unit of parallel load. */
    @FunctionalInterface
    public interface Work {
        /** Does the {@code i}-th unit. */
        void run(int i) throws Exception;
    }

    /**
     * Times {@code count} calls of {@code work}, one at a time, after {@code warmUp} untimed ones; in nanoseconds.
     * The call is given its index, warm-up calls included.
     */
    public static long[] latencies(int warmUp, int count, Work work) throws Exception {
        long[] latencies = new long[count];
        for (int i = 0; i < warmUp + count; i++) {
            long start = System.nanoTime();
            work.run(i);
            if (i >= warmUp) {
                latencies[i - warmUp] = System.nanoTime() - start;
            }
        }
        return latencies;
    }

    /**
     * Prints the p50 and p99 of {@code ours} beside {@code peer}'s (latencies in nanoseconds, printed in ms), as
     * {@code <suite>.latency-p50 <description>}.
     */
    public static void printLatencies(String suite, String description, long[] ours, long[] peer, String peerName) {
        for (double p : new double[] {0.50, 0.99}) {
            print(suite + ".latency-p" + Math.round(p * 100) + " " + description, millis(percentile(ours, p)),
                    millis(percentile(peer, p)), "ms", peerName, false);
        }
    }

    /**
     * Warm-up rounds until the JIT compiler is nearly idle (it compiled for under a twentieth of a round's time: on
     * the end-to-end programs it compiles for a minute or more, taking a core from the work measured), at least one
     * and for at most {@link #WARM_UP}, then the median of {@link #ROUNDS} measured ones.
     */
    public static double median(Round round) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long warmUntil = System.nanoTime() + WARM_UP.toNanos();
        int warmUp = 0;
        boolean compiling;
        do {
            long compiledMillis = jit.getTotalCompilationTime();
            long start = System.nanoTime();
            round.run(warmUp--);
            long roundMillis = (System.nanoTime() - start) / 1_000_000;
            compiling = (jit.getTotalCompilationTime() - compiledMillis) * 20 > roundMillis;
        } while (compiling && System.nanoTime() - warmUntil < 0);
        List<Double> results = new ArrayList<>(ROUNDS);
        for (int i = 0; i < ROUNDS; i++) {
            results.add(round.run(i + 1));
        }
        return middle(results, Comparator.naturalOrder());
    }

    /** The middle of {@code values} in {@code order} (of an even count, the upper of the two): their median. */
    public static <T> T middle(List<T> values, Comparator<? super T> order) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("values must not be empty");
        }
        List<T> sorted = values.stream().sorted(order).toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Runs {@code work} {@code count} times over {@code threads} threads; returns operations per second. */
    public static double parallel(int threads, int count, Work work) throws Exception {
        return parallel(threads, count, work, new CountDownLatch(0));
    }

    /** As {@link #parallel(int, int, Work)}, the clock stopping only once {@code finished} is also down. */
    public static double parallel(int threads, int count, Work work, CountDownLatch finished) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < count; i += threads) {
                        work.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            if (!finished.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("not every message was handled within 5 minutes");
            }
            return perSecond(count, System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Operations per second of {@code count} operations in {@code nanos}. */
    public static double perSecond(int count, long nanos) {
        return count * 1e9 / nanos;
    }

    /** The {@code percentile} (0 to 1) of {@code values}, nearest rank. */
    public static long percentile(long[] values, double percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile * sorted.length) - 1)];
    }

    /** Nanoseconds as milliseconds. */
    public static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** Prints one comparison as a {@link Report#line} and flushes. */
    public static void print(String name, double ours, double peer, String unit, String peerName,
            boolean higherIsBetter) {
        System.out.println(Report.line(name, ours, peer, unit, peerName, higherIsBetter));
        System.out.flush();
    }

    /** The NATS server the programs measure on: {@code IRISX_TEST_NATS_URL}, as scripts/bench sets it. */
    public static String natsUrl() {
        return env("IRISX_TEST_NATS_URL", "nats://127.0.0.1:4222");
    }

    /** The PostgreSQL database the programs measure on: {@code IRISX_TEST_POSTGRES_URL}, as scripts/bench sets it. */
    public static String postgresUrl() {
        return env("IRISX_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    /** The parts a program's arguments name, every one of {@code known} when there are none. */
    public static Set<String> parts(String[] args, Set<String> known) {
        Set<String> parts = args.length == 0 ? known : Set.of(args);
        if (!known.containsAll(parts)) {
            throw new IllegalArgumentException("unknown part in " + parts + "; the parts are " + known);
        }
        return parts;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * A JetStream outbox on {@code natsUrl} whose streams are named under {@code namespace} and bounded (a day, a
     * million messages, 256 MiB each), relaying in batches of 1,000 every {@code relayInterval}.
     */
    public static JetStreamOutbox.Builder jetStream(String natsUrl, String namespace, Duration relayInterval) {
        JetStreamOutbox.Builder builder = JetStreamOutbox.builder().url(natsUrl).namespace(namespace)
                .relayInterval(relayInterval).relayBatchSize(1000);
        for (Channel channel : Channel.values()) {
            builder.stream(channel, StreamSettings.defaults(channel).withLimits(Duration.ofDays(1), 1_000_000,
                    256L << 20));
        }
        return builder;
    }

    /** Deletes the streams of {@code namespace} on {@code natsUrl}. */
    public static void deleteStreams(String natsUrl, String namespace) throws Exception {
        try (io.nats.client.Connection nats = Nats.connect(natsUrl)) {
            JetStreamManagement management = nats.jetStreamManagement();
            for (String stream : management.getStreamNames()) {
                if (stream.startsWith(namespace + "_")) {
                    management.deleteStream(stream);
                }
            }
        }
    }

    /**
     * Empties {@code tables} for the next round. TRUNCATE rather than DELETE: a DELETE leaves every row's versions in
     * the table and its indexes until a vacuum, and the test PostgreSQL runs without autovacuum, so each round would
     * start slower than a production table, which autovacuum keeps clean.
     */
    public static void truncate(Database database, String... tables) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    statement.execute("TRUNCATE TABLE " + table);
                }
            }
            return null;
        });
    }

    /**
     * Gives the planner the statistics of {@code database}'s tables, as autovacuum (PostgreSQL) keeps them on a
     * database in use: the programs run in a fresh schema, and a table never analyzed makes PostgreSQL plan a lookup
     * by primary key on any index that starts with the same column (they all cost alike to a planner that knows no
     * more), reading every row of the tenant. Analyzes each table of the current schema on PostgreSQL, every table
     * on H2. The statistics outlive {@code TRUNCATE}; analyzing again invalidates the plans cached before.
     */
    public static void analyze(Database database) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                if (database.dialect() == Database.Dialect.H2) {
                    statement.execute("ANALYZE");
                    return null;
                }
                List<String> tables = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
                for (String table : tables) {
                    statement.execute("ANALYZE " + table);
                }
            }
            return null;
        });
    }

    /** Runs {@code sql} on a connection of its own to {@code url}. */
    public static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Waits until {@code table} holds {@code count} rows whose {@code status} is SENT: the provider has answered, and
     * the status is committed.
     */
    public static void awaitSent(Database database, String table, int count, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (sent(database, table) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + sent(database, table) + " of " + count + " rows of " + table
                        + " were SENT within " + wait);
            }
            Thread.sleep(1);
        }
    }

    private static long sent(Database database, String table) {
        return database.withConnection(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT COUNT(*) FROM " + table + " WHERE status = 'SENT'")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /** Deletes {@code directory} and everything in it. */
    public static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
    /** What runs on a runtime a program made for it. */
    @FunctionalInterface
    public interface OnRuntime {
        void run(Irisx irisx) throws Exception;
    }

    /**
     * Runs {@code body} on an IRISX runtime on JetStream (streams under a fresh namespace) and PostgreSQL (a fresh
     * schema, a pool of {@code poolSize}), and removes both afterwards.
     */
    public static void onJetStreamAndPostgres(String natsUrl, String postgresUrl, int poolSize, OnRuntime body)
            throws Exception {
        onJetStreamAndPostgres(natsUrl, postgresUrl, poolSize, List.of(), body);
    }

    /** As {@link #onJetStreamAndPostgres(String, String, int, OnRuntime)}, with {@code modules} installed. */
    public static void onJetStreamAndPostgres(String natsUrl, String postgresUrl, int poolSize,
            List<IrisxModule> modules, OnRuntime body) throws Exception {
        String schema = "irisx_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String namespace = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        execute(postgresUrl, "CREATE SCHEMA " + schema);
        Irisx.Builder builder = Irisx.builder()
                .jdbcUrl(postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema, null, null)
                .maxPoolSize(poolSize)
                .sealingKeys(SealingKeys.generate("k1"))
                .outbox(jetStream(natsUrl, namespace, Duration.ofMillis(100)).factory());
        modules.forEach(builder::install);
        try (Irisx irisx = builder.build()) {
            body.run(irisx);
        } finally {
            execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
            deleteStreams(natsUrl, namespace);
        }
    }

    /** Runs {@code body} on an IRISX runtime on the embedded defaults in a temporary directory, removed afterwards. */
    public static void onEmbeddedDefaults(String prefix, OnRuntime body) throws Exception {
        onEmbeddedDefaults(prefix, List.of(), body);
    }

    /** As {@link #onEmbeddedDefaults(String, OnRuntime)}, with {@code modules} installed. */
    public static void onEmbeddedDefaults(String prefix, List<IrisxModule> modules, OnRuntime body) throws Exception {
        Path directory = Files.createTempDirectory(prefix);
        Irisx.Builder builder = Irisx.builder().dataDirectory(directory);
        modules.forEach(builder::install);
        try (Irisx irisx = builder.build()) {
            body.run(irisx);
        } finally {
            deleteRecursively(directory);
        }
    }
}
