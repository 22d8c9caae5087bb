package io.irisx.benchmarks.outbox.peers;

/**
 * One system measured by {@link PeersBenchmark}: a durable job queue on PostgreSQL whose jobs carry a payload to
 * {@link Jobs#handleCurrent(String)}. Used from one thread at a time, but {@link #enqueue} from many at once.
 */
interface JobSystem extends AutoCloseable {

    /** The handler threads every system runs, in one process. */
    int HANDLER_THREADS = 16;

    /** The connections each system's pool may open: handlers, producers and pollers all fit. */
    int POOL_SIZE = 32;

    /** The system's name and version, as printed. */
    String name();

    /** Empties the system's tables (and streams), before each measurement; its workers are stopped. */
    void reset() throws Exception;

    /** Queues one job of {@code payload} in a transaction of its own; thread-safe. */
    void enqueue(String payload) throws Exception;

    /** Starts {@link #HANDLER_THREADS} handler threads taking the queued jobs. */
    void startWorkers() throws Exception;

    /** Stops the handler threads, waiting for the jobs they are running. */
    void stopWorkers() throws Exception;

    /**
     * Waits, untimed, until a backlog queued while no worker ran may be taken: a system that makes new jobs wait
     * before a poll may take them overrides it.
     */
    default void awaitBacklogDue() throws InterruptedException {
    }

    @Override
    void close() throws Exception;
}
