package io.irisx.benchmarks.outbox;

import io.irisx.benchmarks.Programs;
import io.irisx.core.Channel;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.store.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker JVM of the outbox suite's {@code scale} part ({@link ScaleCurve}): it opens the JetStream outbox of the
 * namespace and PostgreSQL schema it is given and takes the EMAIL channel's jobs with 16 no-op handlers, on the same
 * durable consumer as the other worker JVMs. It prints {@code ready} once consuming, then {@code handled <n>} every
 * 50 ms, and when its standard input closes, it stops consuming and prints {@code final <n>}.
 *
 * <p>Arguments: the NATS URL, the PostgreSQL JDBC URL (with its schema), the namespace.
 */
public final class ScaleWorker {

    private ScaleWorker() {
    }

    /** Runs one worker until its standard input closes. */
    public static void main(String[] args) throws Exception {
        AtomicLong handled = new AtomicLong();
        try (Database database = Database.connect(args[1], null, null, 24);
                Outbox outbox = Programs.jetStream(args[0], args[2], Duration.ofMillis(100))
                        .build(database, Clock.systemUTC())) {
            Subscription subscription = outbox.consume(Channel.EMAIL, delivery -> {
                handled.incrementAndGet();
                return Outcome.done();
            }, ConsumeOptions.builder().concurrency(16).batchSize(64).build());
            System.out.println("ready");
            System.out.flush();
            Thread reporter = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        System.out.println("handled " + handled.get());
                        System.out.flush();
                        Thread.sleep(50);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "scale-reporter");
            reporter.setDaemon(true);
            reporter.start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // Waits for the parent to close standard input.
                }
            }
            reporter.interrupt();
            reporter.join();
            subscription.close();
        }
        System.out.println("final " + handled.get());
        System.out.flush();
    }
}
