package io.irisx.benchmarks.outbox.peers;

import com.gruelbox.transactionoutbox.Dialect;
import com.gruelbox.transactionoutbox.Instantiator;
import com.gruelbox.transactionoutbox.Persistor;
import com.gruelbox.transactionoutbox.Submitter;
import com.gruelbox.transactionoutbox.ThreadLocalContextTransactionManager;
import com.gruelbox.transactionoutbox.TransactionManager;
import com.gruelbox.transactionoutbox.TransactionOutbox;
import io.irisx.benchmarks.Programs;
import io.irisx.core.store.Database;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * transaction-outbox (gruelbox) on PostgreSQL, as its README sets it up for throughput: the
 * {@code POSTGRESQL_9} dialect (claims with {@code SKIP LOCKED}); each job scheduled in the caller's transaction and
 * submitted to a local executor as soon as it commits ({@link Submitter#withExecutor}, here a pool of 16 threads with
 * the default submitter's bounded queue of 16,384, whose overflow waits for a flush); and {@code flush()} called every
 * 100 ms, the same poll interval as IRISX's, to take what was queued while no worker ran or failed, 4,096 a batch
 * (its default). A job waits {@code attemptFrequency} (here 10 s, down from the 2 min default) after it is queued or
 * last tried before a flush may take it. Not thread-safe but for {@link #enqueue}.
 */
final class TransactionOutboxSystem implements JobSystem {

    private static final Duration ATTEMPT_FREQUENCY = Duration.ofSeconds(10);
    private static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

    private final Database database;
    private final ThreadLocalContextTransactionManager transactions;
    private final TransactionOutbox outbox;
    private volatile ThreadPoolExecutor handlers;
    private ScheduledExecutorService flusher;
    private volatile long lastQueuedNanos;

    TransactionOutboxSystem(Database database) {
        this.database = database;
        this.transactions = TransactionManager.fromDataSource(database.dataSource());
        this.outbox = TransactionOutbox.builder()
                .transactionManager(transactions)
                .persistor(Persistor.forDialect(Dialect.POSTGRESQL_9))
                .instantiator(Instantiator.using(type -> new Task()))
                .submitter(this::submit)
                .attemptFrequency(ATTEMPT_FREQUENCY)
                .serializeMdc(false)
                .build();
    }

    /** The job: the class transaction-outbox records a call of, and calls again on a handler thread. */
    public static class Task {
        /** Handles one job. */
        public void handle(String payload) {
            try {
                Jobs.handleCurrent(payload);
            } catch (InterruptedException e) {
                // Stopping: transaction-outbox records a job as done when its method returns, so it must not.
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while handling a job", e);
            }
        }
    }

    @Override
    public String name() {
        return "transaction-outbox 4.2.268";
    }

    @Override
    public void reset() {
        Programs.truncate(database, "txno_outbox");
    }

    @Override
    public void enqueue(String payload) {
        transactions.inTransaction(() -> outbox.schedule(Task.class).handle(payload));
        lastQueuedNanos = System.nanoTime();
    }

    /** Hands a committed job to the handlers when they run; else it waits in the table for a flush. */
    private void submit(com.gruelbox.transactionoutbox.TransactionOutboxEntry entry,
            java.util.function.Consumer<com.gruelbox.transactionoutbox.TransactionOutboxEntry> process) {
        Executor executor = handlers;
        if (executor != null) {
            Submitter.withExecutor(executor).submit(entry, process);
        }
    }

    @Override
    public void startWorkers() {
        handlers = new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(16_384));
        flusher = Executors.newSingleThreadScheduledExecutor();
        flusher.scheduleWithFixedDelay(this::flush, 0, FLUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Flushes while the handlers' queue has room for a whole batch: a fuller queue would reject what it took. */
    private void flush() {
        try {
            while (handlers.getQueue().remainingCapacity() >= 4096 && outbox.flush()) {
                // Took a batch; more may be due.
            }
        } catch (RuntimeException e) {
            System.err.println("bench: transaction-outbox flush failed: " + e);
        }
    }

    @Override
    public void stopWorkers() throws InterruptedException {
        if (flusher != null) {
            flusher.shutdown();
            flusher.awaitTermination(1, TimeUnit.MINUTES);
            flusher = null;
        }
        ThreadPoolExecutor running = handlers;
        handlers = null;
        if (running != null) {
            running.shutdown();
            running.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    @Override
    public void awaitBacklogDue() throws InterruptedException {
        long wait = lastQueuedNanos + ATTEMPT_FREQUENCY.toNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait + 1_000_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopWorkers();
        database.close();
    }
}
