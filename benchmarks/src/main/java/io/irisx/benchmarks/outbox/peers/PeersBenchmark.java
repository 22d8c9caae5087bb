package io.irisx.benchmarks.outbox.peers;

import static io.irisx.benchmarks.Programs.millis;
import static io.irisx.benchmarks.Programs.parallel;
import static io.irisx.benchmarks.Programs.percentile;

import io.irisx.benchmarks.MachineCpu;
import io.irisx.benchmarks.Programs;
import io.irisx.core.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The outbox suite's {@code peers} part: IRISX's JdbcOutbox and JetStream outbox beside transaction-outbox,
 * db-scheduler and JobRunr, on the same PostgreSQL (each system in a schema of its own, dropped after the run), doing
 * the same work: 20,000 jobs of 512 bytes, each queued in a transaction of its own by 4 producer threads, taken by 16
 * handler threads in this process. A round measures every system in turn (the systems alternate, so a machine busy
 * for a while burdens them alike); one untimed warm-up round, then the median of {@value #ROUNDS} rounds. Prints the
 * table of every system's medians, then one {@code bench:} line per metric and IRISX backend beside the best peer.
 *
 * <p>The figures, per system and round: enqueue (the 20,000 jobs queued with no worker running); drain (that
 * backlog taken by the workers then started, from the first job's handling to the last's); end to end with a no-op
 * handler and with a 1 ms handler (from the first job queued to the last handled, workers running); and the latency
 * from queueing to handling, p50 and p99, of 1,000 jobs queued one at a time, 200 a second. Beside them, the CPU
 * every process of the machine spent per job while the enqueue, the drain and the no-op end to end ran ({@link
 * MachineCpu}), in total and split into PostgreSQL, this JVM (producers, workers, harness) and NATS: the rate a
 * system can reach on a machine of N cores is at most N seconds of CPU a second over its CPU per job. {@code
 * -Dirisx.bench.peers.jobs=N} sets the job count, and {@code -Dirisx.bench.peers.only=<name prefix>} keeps the
 * systems whose name starts so (for a quick look or a profile; the figures published use neither).
 */
public final class PeersBenchmark {

    private static final int ROUNDS = 3;
    private static final int PRODUCERS = 4;
    private static final int JOBS = Integer.getInteger("irisx.bench.peers.jobs", 20_000);
    private static final int LATENCY_JOBS = 1_000;
    private static final Duration LATENCY_GAP = Duration.ofMillis(5);
    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final String ONLY = System.getProperty("irisx.bench.peers.only", "");

    private final List<JobSystem> systems = new ArrayList<>();
    private final Map<JobSystem, Map<Metric, List<Double>>> figures = new LinkedHashMap<>();
    private final Map<JobSystem, Map<Metric, List<MachineCpu>>> cpu = new LinkedHashMap<>();
    private final Map<JobSystem, Long> repeats = new LinkedHashMap<>();

    private PeersBenchmark() {
    }

    /** What is measured, in what unit, and which way is better. */
    enum Metric {
        ENQUEUE("enqueue", "jobs/s", true),
        END_TO_END_NOOP("end-to-end-noop", "jobs/s", true),
        END_TO_END_1MS("end-to-end-1ms", "jobs/s", true),
        LATENCY_P50("latency-p50", "ms", false),
        LATENCY_P99("latency-p99", "ms", false),
        DRAIN("drain", "jobs/s", true),
        CPU_ENQUEUE("cpu-per-job-enqueue", "µs", false),
        CPU_DRAIN("cpu-per-job-drain", "µs", false),
        CPU_END_TO_END_NOOP("cpu-per-job-end-to-end-noop", "µs", false);

        final String label;
        final String unit;
        final boolean higherIsBetter;

        Metric(String label, String unit, boolean higherIsBetter) {
            this.label = label;
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
        }
    }

    /** Runs the part against the NATS server at {@code natsUrl} and the PostgreSQL database at {@code postgresUrl}. */
    public static void run(String natsUrl, String postgresUrl) throws Exception {
        new PeersBenchmark().measure(natsUrl, postgresUrl);
    }

    private void measure(String natsUrl, String postgresUrl) throws Exception {
        String run = "irisx_peers_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        List<String> schemas = new ArrayList<>();
        List<JobSystem> all = new ArrayList<>();
        try {
            all.add(IrisxSystem.jdbc(database(postgresUrl, run + "_jdbc", schemas)));
            all.add(IrisxSystem.jetStream(database(postgresUrl, run + "_jetstream", schemas), natsUrl));
            all.add(new TransactionOutboxSystem(database(postgresUrl, run + "_txoutbox", schemas)));
            all.add(new DbSchedulerSystem(database(postgresUrl, run + "_dbscheduler", schemas)));
            all.add(new JobRunrSystem(database(postgresUrl, run + "_jobrunr", schemas), run + "_jobrunr"));
            all.stream().filter(system -> system.name().startsWith(ONLY)).forEach(systems::add);
            for (int round = 0; round <= ROUNDS; round++) {
                for (JobSystem system : systems) {
                    System.err.println("bench: peers round " + round + (round == 0 ? " (warm-up)" : "") + ": "
                            + system.name());
                    Map<Metric, MachineCpu> spent = new LinkedHashMap<>();
                    Map<Metric, Double> measured = round(system, spent);
                    if (round > 0) {
                        measured.forEach((metric, value) -> figures.computeIfAbsent(system, s -> new LinkedHashMap<>())
                                .computeIfAbsent(metric, m -> new ArrayList<>()).add(value));
                        spent.forEach((metric, perJob) -> cpu.computeIfAbsent(system, s -> new LinkedHashMap<>())
                                .computeIfAbsent(metric, m -> new ArrayList<>()).add(perJob));
                    }
                }
            }
            printTable();
            printLines();
        } finally {
            for (JobSystem system : all) {
                try {
                    system.close();
                } catch (Exception e) {
                    System.err.println("bench: closing " + system.name() + " failed: " + e);
                }
            }
            for (String schema : schemas) {
                Programs.execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** A pool on a new schema of {@code postgresUrl}'s database, named in {@code schemas} to drop after the run. */
    private static Database database(String postgresUrl, String schema, List<String> schemas) throws Exception {
        Programs.execute(postgresUrl, "CREATE SCHEMA " + schema);
        schemas.add(schema);
        return Database.connect(postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                null, null, JobSystem.POOL_SIZE);
    }

    /**
     * One round of {@code system}: every metric, each from empty tables; a metric that fails is NaN. The CPU metrics
     * are what every process of the machine spent per job while the measurement ran (see {@link MachineCpu}), put by
     * kind in {@code spent}.
     */
    private Map<Metric, Double> round(JobSystem system, Map<Metric, MachineCpu> spent) throws Exception {
        Map<Metric, Double> measured = new LinkedHashMap<>();
        double[] backlog = attempt(system, () -> enqueueAndDrain(system, spent));
        measured.put(Metric.ENQUEUE, backlog[0]);
        measured.put(Metric.DRAIN, backlog[1]);
        measured.put(Metric.END_TO_END_NOOP, attempt(system, () -> {
            MachineCpu before = MachineCpu.read();
            double rate = endToEnd(system, Duration.ZERO);
            spent.put(Metric.CPU_END_TO_END_NOOP, perJob(MachineCpu.read().minus(before)));
            return new double[] {rate};
        })[0]);
        measured.put(Metric.END_TO_END_1MS,
                attempt(system, () -> new double[] {endToEnd(system, Duration.ofMillis(1))})[0]);
        double[] latency = attempt(system, () -> latency(system));
        measured.put(Metric.LATENCY_P50, latency[0]);
        measured.put(Metric.LATENCY_P99, latency[1]);
        for (Metric metric : List.of(Metric.CPU_ENQUEUE, Metric.CPU_DRAIN, Metric.CPU_END_TO_END_NOOP)) {
            MachineCpu perJob = spent.get(metric);
            measured.put(metric, perJob == null ? Double.NaN : perJob.total());
        }
        return measured;
    }

    /** {@code spent} over the measurement's jobs, in microseconds per job. */
    private static MachineCpu perJob(MachineCpu spent) {
        double scale = 1e6 / JOBS;
        return new MachineCpu(spent.self() * scale, spent.others() * scale, spent.nats() * scale,
                spent.postgres() * scale);
    }

    @FunctionalInterface
    private interface Measurement {
        double[] run() throws Exception;
    }

    /** Runs {@code measurement}, its workers stopped afterwards whatever happens; NaNs when it fails. */
    private static double[] attempt(JobSystem system, Measurement measurement) throws Exception {
        try {
            return measurement.run();
        } catch (Exception e) {
            System.err.println("bench: " + system.name() + " failed a measurement: " + e);
            return new double[] {Double.NaN, Double.NaN};
        } finally {
            system.stopWorkers();
        }
    }

    /**
     * Queues the jobs with no worker running, then drains them: {enqueue rate, drain rate}, with the CPU each took in
     * {@code spent}.
     */
    private double[] enqueueAndDrain(JobSystem system, Map<Metric, MachineCpu> spent) throws Exception {
        system.reset();
        Jobs jobs = Jobs.start(JOBS, Duration.ZERO);
        MachineCpu start = MachineCpu.read();
        double enqueue = parallel(PRODUCERS, JOBS, i -> queue(system, jobs, i));
        system.awaitBacklogDue();
        MachineCpu queued = MachineCpu.read();
        system.startWorkers();
        jobs.awaitAll(WAIT);
        spent.put(Metric.CPU_ENQUEUE, perJob(queued.minus(start)));
        spent.put(Metric.CPU_DRAIN, perJob(MachineCpu.read().minus(queued)));
        count(system, jobs);
        return new double[] {enqueue, jobs.drainRate()};
    }

    /** Queues the jobs while the workers run, whose handler takes {@code handlerTime}: the jobs per second. */
    private double endToEnd(JobSystem system, Duration handlerTime) throws Exception {
        system.reset();
        Jobs jobs = Jobs.start(JOBS, handlerTime);
        system.startWorkers();
        double rate = parallel(PRODUCERS, JOBS, i -> queue(system, jobs, i), jobs.allHandled());
        count(system, jobs);
        return rate;
    }

    /** Queues jobs one at a time at a steady pace while the workers run: {p50, p99} of their latencies in ms. */
    private double[] latency(JobSystem system) throws Exception {
        system.reset();
        Jobs jobs = Jobs.start(LATENCY_JOBS, Duration.ZERO);
        system.startWorkers();
        long start = System.nanoTime();
        for (int i = 0; i < LATENCY_JOBS; i++) {
            LockSupport.parkNanos(start + i * LATENCY_GAP.toNanos() - System.nanoTime());
            queue(system, jobs, i);
        }
        jobs.awaitAll(WAIT);
        count(system, jobs);
        long[] latencies = jobs.latencies();
        return new double[] {millis(percentile(latencies, 0.50)), millis(percentile(latencies, 0.99))};
    }

    private static void queue(JobSystem system, Jobs jobs, int i) throws Exception {
        String payload = jobs.payload(i);
        jobs.queuing(i);
        system.enqueue(payload);
    }

    private void count(JobSystem system, Jobs jobs) {
        repeats.merge(system, jobs.repeats(), Long::sum);
    }

    private double figure(JobSystem system, Metric metric) {
        return Programs.middle(figures.get(system).get(metric), Comparator.naturalOrder());
    }

    private void printTable() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-32s", "metric (median of " + ROUNDS
                + ")"));
        systems.forEach(system -> table.append(String.format(Locale.ROOT, " | %26s", system.name())));
        table.append('\n');
        for (Metric metric : Metric.values()) {
            table.append(String.format(Locale.ROOT, "%-32s", metric.label + ", " + metric.unit));
            for (JobSystem system : systems) {
                List<Double> values = figures.get(system).get(metric);
                table.append(String.format(Locale.ROOT, " | %26s", format(figure(system, metric)) + " ("
                        + String.join("/", values.stream().map(PeersBenchmark::format).toList()) + ")"));
            }
            table.append('\n');
            if (metric.label.startsWith("cpu-")) {
                table.append(String.format(Locale.ROOT, "%-32s", "  of which db/jvm/nats"));
                systems.forEach(system -> table.append(String.format(Locale.ROOT, " | %26s", split(system, metric))));
                table.append('\n');
            }
        }
        table.append(String.format(Locale.ROOT, "%-32s", "repeated handlings"));
        systems.forEach(system -> table.append(String.format(Locale.ROOT, " | %26d", repeats.getOrDefault(system,
                0L))));
        System.out.println("bench: outbox.vs-peers, " + JOBS + " jobs of " + Jobs.PAYLOAD_SIZE + " bytes, "
                + PRODUCERS + " producers, " + JobSystem.HANDLER_THREADS + " handlers; each cell: median (rounds)\n"
                + table);
        System.out.flush();
    }

    private void printLines() {
        List<JobSystem> ours = systems.stream().filter(IrisxSystem.class::isInstance).toList();
        List<JobSystem> peers = systems.stream().filter(system -> !(system instanceof IrisxSystem)).toList();
        if (peers.isEmpty()) {
            return;
        }
        for (JobSystem irisx : ours) {
            String backend = irisx.name().contains("JetStream") ? "jetstream+postgres" : "jdbc+postgres";
            for (Metric metric : Metric.values()) {
                JobSystem best = best(peers, metric);
                Programs.print("outbox.vs-peers." + metric.label + " " + backend, figure(irisx, metric),
                        figure(best, metric), metric.unit, best.name(), metric.higherIsBetter);
            }
        }
    }

    /** The peer with the best figure for {@code metric}; those whose figure is NaN lose. */
    private JobSystem best(List<JobSystem> peers, Metric metric) {
        JobSystem best = null;
        for (JobSystem peer : peers) {
            double value = figure(peer, metric);
            if (best == null || Double.isNaN(figure(best, metric))
                    || (!Double.isNaN(value) && (metric.higherIsBetter ? value > figure(best, metric)
                            : value < figure(best, metric)))) {
                best = peer;
            }
        }
        return best;
    }

    /**
     * The CPU per job of {@code system}'s median round for {@code metric}, by kind: PostgreSQL, this JVM (producers,
     * workers and the harness), NATS.
     */
    private String split(JobSystem system, Metric metric) {
        List<MachineCpu> rounds = cpu.getOrDefault(system, Map.of()).getOrDefault(metric, List.of());
        if (rounds.isEmpty()) {
            return "failed";
        }
        MachineCpu median = Programs.middle(rounds, Comparator.comparingDouble(MachineCpu::total));
        return String.format(Locale.ROOT, "%.0f/%.0f/%.0f", median.postgres(), median.self(), median.nats());
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "failed";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
