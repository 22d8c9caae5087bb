package io.irisx.queue;

import io.nats.client.Options;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of the NATS connection a {@link JetStreamOutbox} opens itself: daemon threads, unlike jnats' own, so
 * that a host that forgets to close the runtime still exits (the outbox table keeps the work meanwhile). The
 * executors are the outbox's to shut down after the connection closes; jnats closes the ones made from the factory.
 * Thread-safe.
 */
final class NatsThreads {

    private final ThreadFactory factory;
    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor scheduler;

    private NatsThreads() {
        AtomicInteger count = new AtomicInteger();
        this.factory = runnable -> {
            Thread thread = new Thread(runnable, "irisx-nats-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // As jnats makes its own: threads on demand, idle ones gone after half a second; three for its timers.
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 500, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), factory);
        this.scheduler = new ScheduledThreadPoolExecutor(3, factory);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** New daemon threads for one connection. */
    static NatsThreads create() {
        return new NatsThreads();
    }

    /** {@code options} running every thread of the connection on these daemon threads. */
    Options.Builder applyTo(Options.Builder options) {
        return options.executor(executor).scheduledExecutor(scheduler).connectThreadFactory(factory)
                .callbackThreadFactory(factory).readerThreadFactory(factory).writerThreadFactory(factory);
    }

    /** Stops the executors, once the connection is closed. */
    void shutdown() {
        executor.shutdownNow();
        scheduler.shutdownNow();
    }
}
