package io.irisx.core.outbox.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's recorder of its handlers' outcomes: a handler {@linkplain #hand hands} its outcome over and takes its
 * next record, and the recorder's thread writes the outcomes that came in while it wrote the last ones all at once, so
 * that no handler waits for a commit and the records handled at the same time share one. A handler waits only while
 * a batch of outcomes waits already, so a worker that dies leaves at most its handlers' records and one batch handled
 * and not recorded. Thread-safe.
 *
 * @param <T> a handler's outcome on its record, as the worker keeps it
 */
public final class OutcomeRecorder<T> {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);
    private static final Object END = new Object();

    private final int batchSize;
    private final Duration idleCheck;
    private final BooleanSupplier stopped;
    private final Consumer<List<T>> writer;
    private final BlockingQueue<Object> waiting = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final Thread thread;

    /**
     * @param threads makes the recorder's thread
     * @param batchSize the most outcomes written at once, and waiting at once
     * @param idleCheck how often an idle recorder asks {@code stopped}
     * @param stopped true once the worker is closed and its handlers have stopped: an idle recorder then stops
     * @param writer writes a batch, in the order handed over (the list is the recorder's, to read during the call);
     *     what it throws is logged, and the batch is given up (its records come back when their claims lapse)
     */
    public OutcomeRecorder(ThreadFactory threads, int batchSize, Duration idleCheck, BooleanSupplier stopped,
            Consumer<List<T>> writer) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be 1 or more, was " + batchSize);
        }
        this.batchSize = batchSize;
        this.idleCheck = Objects.requireNonNull(idleCheck, "idleCheck");
        this.stopped = Objects.requireNonNull(stopped, "stopped");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.room = new Semaphore(batchSize);
        this.thread = threads.newThread(this::recordLoop);
    }

    /** Starts the recorder's thread. */
    public void start() {
        thread.start();
    }

    /** Hands {@code outcome} over to be written; waits while a batch of outcomes waits already. */
    public void hand(T outcome) {
        Objects.requireNonNull(outcome, "outcome");
        room.acquireUninterruptibly();
        waiting.add(outcome);
    }

    /**
     * Once every handler has stopped: writes what waits, then stops the recorder, waiting for it at most
     * {@code timeout}.
     */
    public void finish(Duration timeout) throws InterruptedException {
        waiting.add(END);
        thread.join(timeout.toMillis());
    }

    @SuppressWarnings("unchecked")
    private void recordLoop() {
        List<Object> taken = new ArrayList<>();
        while (true) {
            try {
                Object first = waiting.poll(idleCheck.toNanos(), TimeUnit.NANOSECONDS);
                if (first == null) {
                    if (stopped.getAsBoolean() && waiting.isEmpty()) {
                        return;
                    }
                    continue;
                }
                taken.add(first);
            } catch (InterruptedException e) {
                log.debug("irisx outbox: outcome recorder interrupted with {} outcome(s) unrecorded", waiting.size());
                return;
            }
            waiting.drainTo(taken, batchSize - 1);
            boolean last = taken.remove(END);
            List<T> batch = (List<T>) (List<?>) taken;
            try {
                if (!batch.isEmpty()) {
                    writer.accept(batch);
                }
            } catch (RuntimeException e) {
                log.warn("irisx outbox: recording {} outcome(s) failed; their records come back when their claims"
                        + " lapse: {}", batch.size(), e.toString());
            } catch (Error e) {
                // Stopping would leave the handlers waiting for room for ever: the recorder goes on.
                log.error("irisx outbox: recording {} outcome(s) failed; their records come back when their claims"
                        + " lapse", batch.size(), e);
            } finally {
                room.release(batch.size());
                taken.clear();
            }
            if (last) {
                return;
            }
        }
    }
}
