package io.irisx.core.outbox.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit: many threads each submit one item, and the items that arrive while batches are being written go
 * together in the next, so concurrent workers share transactions (and the database's flushes to disk) instead of
 * paying one each. Up to {@code maxWriters} batches are written at once, each in its own transaction, so that a
 * batch's commit need not wait for the one before it. There is no thread of its own: a caller that finds a writer's
 * place free writes a batch of whatever is waiting, its own item first; the others wait until theirs is written.
 * Thread-safe.
 *
 * @param <I> what a caller submits
 * @param <O> what it gets back
 */
final class GroupCommit<I, O> {

    /** The most records the outbox settles together in one group commit. */
    static final int OUTBOX_BATCH = 256;
    /**
     * The most batches the outbox writes at once for one group: one. While a batch is written, every outcome that comes
     * in waits for the next, so the batches grow with the load and the transactions per record fall (measured by {@code
     * scripts/bench outbox peers}, in CPU per job: with four writers at once, each batch was small, and a JetStream
     * worker's claims and outcomes cost about twice the database time per record).
     */
    static final int OUTBOX_WRITERS = 1;

    private final int maxBatch;
    private final int maxWriters;
    private final Function<List<I>, List<O>> writer;
    private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private int writing; // guarded by lock

    /**
     * @param maxBatch the most items written together
     * @param maxWriters the most batches written at once
     * @param writer writes a batch in one transaction and returns one result per item, in order; when it throws,
     *     every item of the batch fails with that exception
     */
    GroupCommit(int maxBatch, int maxWriters, Function<List<I>, List<O>> writer) {
        this.maxBatch = maxBatch;
        this.maxWriters = maxWriters;
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Writes {@code item}, with whatever others are waiting, and returns its result. */
    O submit(I item) {
        Pending<I, O> mine = new Pending<>(item);
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.written) {
                if (writing < maxWriters && !mine.taken) {
                    // Its own item first (it may have waited behind a full batch), then the oldest waiting.
                    queue.remove(mine);
                    List<Pending<I, O>> batch = new ArrayList<>();
                    batch.add(mine);
                    for (Pending<I, O> next; batch.size() < maxBatch && (next = queue.poll()) != null; ) {
                        batch.add(next);
                    }
                    batch.forEach(pending -> pending.taken = true);
                    writing++;
                    lock.unlock();
                    try {
                        write(batch);
                    } finally {
                        lock.lock();
                        writing--;
                        batch.forEach(pending -> pending.written = true);
                        written.signalAll();
                    }
                } else {
                    written.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** Writes {@code batch}; its results and failures become visible to their callers through the lock. */
    private void write(List<Pending<I, O>> batch) {
        try {
            List<O> results = writer.apply(batch.stream().map(pending -> pending.item).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result = results.get(i);
            }
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.failure = e);
        }
    }

    /** One caller's item; its fields are written and read under the lock, but for the writer's results. */
    private static final class Pending<I, O> {
        final I item;
        O result;
        RuntimeException failure;
        /** In a batch being written. */
        boolean taken;
        boolean written;

        Pending(I item) {
            this.item = item;
        }
    }
}
