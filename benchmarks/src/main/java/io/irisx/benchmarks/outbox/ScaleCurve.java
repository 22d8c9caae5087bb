package io.irisx.benchmarks.outbox;

import io.irisx.benchmarks.MachineCpu;
import io.irisx.benchmarks.Programs;
import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The outbox suite's {@code scale} part: the JetStream outbox with 1, 2 and 3 worker JVMs ({@link ScaleWorker}) on one
 * durable consumer, each with 16 no-op handlers and its own connection pool on the same PostgreSQL. This process
 * queues the jobs (4 producer threads, each job in a transaction of its own, 512 bytes) and relays them; per worker
 * count it queues 2,000 jobs untimed to warm the workers up, then times 20,000 from the first queued to the last
 * handled.
 *
 * <p>On a machine of few cores every process competes for the same cores, so more JVMs cannot go faster: the curve
 * shows what a worker JVM costs. Beside each worker count it prints each JVM's share of the jobs, and the CPU time
 * each kind of process spent per job during the timed run, read from {@code /proc}: the worker JVMs, this process
 * (producers and relay), {@code nats-server} and PostgreSQL (every {@code postgres} process, see {@link MachineCpu}). From those a reader
 * can tell which process bounds the rate once the workers have machines of their own. Also counts repeated
 * handlings: the workers' handled counts must add up to the jobs queued.
 */
final class ScaleCurve {

    private static final TenantId TENANT = TenantId.of("bench");
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String PAYLOAD = "x".repeat(512);
    private static final int WARM_UP = 2_000;
    private static final int JOBS = Integer.getInteger("irisx.bench.scale.jobs", 20_000);
    private static final int PRODUCERS = 4;
    private static final Duration WAIT = Duration.ofMinutes(5);

    private ScaleCurve() {
    }

    /** Runs the part on the NATS server and PostgreSQL database given, in a schema and namespace of its own. */
    static void run(String natsUrl, String postgresUrl) throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String schema = "irisx_scale_" + suffix;
        String namespace = "scale" + suffix;
        String schemaUrl = postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Programs.execute(postgresUrl, "CREATE SCHEMA " + schema);
        try (Database database = Database.connect(schemaUrl, null, null, 16)) {
            database.migrate("core");
            double first = Double.NaN;
            for (int workers = 1; workers <= 3; workers++) {
                try (Outbox outbox = Programs.jetStream(natsUrl, namespace, Duration.ofMillis(100))
                        .build(database, CLOCK)) {
                    Round round = round(outbox, natsUrl, schemaUrl, namespace, workers);
                    first = Double.isNaN(first) ? round.rate : first;
                    Programs.print("outbox.scale jetstream, " + workers + " worker JVM(s), end to end no-op", round.rate,
                            first, "jobs/s", "the same with 1 worker JVM", true);
                    System.out.println(round.describe(workers));
                    System.out.flush();
                }
                Programs.truncate(database, "irisx_outbox", "irisx_outbox_unpublished");
            }
        } finally {
            Programs.execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
            Programs.deleteStreams(natsUrl, namespace);
        }
    }

    private static Round round(Outbox outbox, String natsUrl, String schemaUrl, String namespace, int count)
            throws Exception {
        List<Worker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                workers.add(Worker.start(natsUrl, schemaUrl, namespace));
            }
            for (Worker worker : workers) {
                worker.awaitReady();
            }
            enqueue(outbox, WARM_UP);
            awaitHandled(workers, WARM_UP);
            long[] before = handledBy(workers);
            MachineCpu cpuBefore = MachineCpu.read(pids(workers));
            long start = System.nanoTime();
            enqueue(outbox, JOBS);
            awaitHandled(workers, WARM_UP + JOBS);
            long elapsed = System.nanoTime() - start;
            MachineCpu cpuAfter = MachineCpu.read(pids(workers));
            long[] after = handledBy(workers);
            long total = 0;
            for (Worker worker : workers) {
                total += worker.stop();
            }
            double[] perJvm = new double[count];
            for (int i = 0; i < count; i++) {
                perJvm[i] = Programs.perSecond((int) (after[i] - before[i]), elapsed);
            }
            return new Round(Programs.perSecond(JOBS, elapsed), perJvm, cpuAfter.minus(cpuBefore),
                    total - WARM_UP - JOBS);
        } finally {
            for (Worker worker : workers) {
                worker.destroy();
            }
        }
    }

    private static void enqueue(Outbox outbox, int jobs) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        CountDownLatch done = new CountDownLatch(PRODUCERS);
        for (int p = 0; p < PRODUCERS; p++) {
            Thread producer = new Thread(() -> {
                try {
                    while (next.getAndIncrement() < jobs) {
                        outbox.publish(Envelope.of(TENANT, Channel.EMAIL, PAYLOAD));
                    }
                } finally {
                    done.countDown();
                }
            }, "scale-producer-" + p);
            producer.start();
        }
        done.await();
    }

    private static void awaitHandled(List<Worker> workers, long jobs) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (workers.stream().mapToLong(Worker::handled).sum() < jobs) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + workers.stream().mapToLong(Worker::handled).sum() + " of "
                        + jobs + " jobs were handled within " + WAIT);
            }
            Thread.sleep(5);
        }
    }

    private static long[] pids(List<Worker> workers) {
        return workers.stream().mapToLong(worker -> worker.process.pid()).toArray();
    }

    private static long[] handledBy(List<Worker> workers) {
        return workers.stream().mapToLong(Worker::handled).toArray();
    }

    /** One worker count's figures. */
    private record Round(double rate, double[] perJvm, MachineCpu cpu, long repeats) {
        String describe(int workers) {
            StringBuilder line = new StringBuilder("scale: ").append(workers).append(" worker JVM(s): per JVM");
            for (double rate : perJvm) {
                line.append(String.format(Locale.ROOT, " %,.0f", rate));
            }
            line.append(" jobs/s; CPU per job: workers ").append(perJob(cpu.others()))
                    .append(", producer+relay ").append(perJob(cpu.self()))
                    .append(", nats-server ").append(perJob(cpu.nats()))
                    .append(", postgres ").append(perJob(cpu.postgres()))
                    .append("; repeated handlings ").append(repeats);
            return line.toString();
        }

        private static String perJob(double seconds) {
            return String.format(Locale.ROOT, "%.0f µs", seconds / JOBS * 1e6);
        }
    }

    /** A worker JVM, read line by line. */
    private static final class Worker {
        private final Process process;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final AtomicLong handled = new AtomicLong();
        private final AtomicLong finalCount = new AtomicLong(-1);
        private final Thread reader;

        private Worker(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "scale-worker-reader-" + process.pid());
            this.reader.setDaemon(true);
            this.reader.start();
        }

        static Worker start(String natsUrl, String schemaUrl, String namespace) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process process = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                    System.getProperty("java.class.path"), ScaleWorker.class.getName(), natsUrl, schemaUrl, namespace)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Worker(process);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.equals("ready")) {
                        ready.countDown();
                    } else if (line.startsWith("handled ")) {
                        handled.set(Long.parseLong(line.substring(8)));
                    } else if (line.startsWith("final ")) {
                        finalCount.set(Long.parseLong(line.substring(6)));
                    }
                }
            } catch (IOException e) {
                // The process is gone; stop() reports it.
            }
        }

        void awaitReady() throws InterruptedException {
            if (!ready.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("worker JVM " + process.pid() + " did not start consuming in a minute");
            }
        }

        long handled() {
            return handled.get();
        }

        /** Closes its input, waits for it to stop, and returns how many jobs it handled in all. */
        long stop() throws IOException, InterruptedException {
            process.getOutputStream().close();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("worker JVM " + process.pid() + " did not stop in a minute");
            }
            reader.join(10_000);
            if (finalCount.get() < 0) {
                throw new IllegalStateException("worker JVM " + process.pid() + " ended with exit code "
                        + process.exitValue() + " and no final count");
            }
            return finalCount.get();
        }

        void destroy() {
            process.destroyForcibly();
        }
    }
}
