package io.irisx.core.outbox.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Group commit: many threads each submit one item, and the items that arrive while one batch is being written go
 * together in the next, so concurrent workers share transactions (and the database's flushes to disk) instead of
 * paying one each. There is no thread of its own: the first caller to get the lock writes the batch for everyone
 * waiting, the others find their result ready. Thread-safe.
 *
 * @param <I> what a caller submits
 * @param <O> what it gets back
 */
final class GroupCommit<I, O> {

    /** The most records the outbox claims or settles together in one group commit. */
    static final int OUTBOX_BATCH = 256;

    private final int maxBatch;
    private final Function<List<I>, List<O>> writer;
    private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param maxBatch the most items written together
     * @param writer writes a batch in one transaction and returns one result per item, in order; when it throws,
     *     every item of the batch fails with that exception
     */
    GroupCommit(int maxBatch, Function<List<I>, List<O>> writer) {
        this.maxBatch = maxBatch;
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Writes {@code item}, with whatever others are waiting, and returns its result. */
    O submit(I item) {
        Pending<I, O> mine = new Pending<>(item);
        queue.add(mine);
        lock.lock();
        try {
            // A caller that held the lock meanwhile may have written this item already; the lock makes its
            // result visible here.
            while (!mine.written) {
                writeBatch();
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    private void writeBatch() {
        List<Pending<I, O>> batch = new ArrayList<>();
        for (Pending<I, O> next; batch.size() < maxBatch && (next = queue.poll()) != null; ) {
            batch.add(next);
        }
        try {
            List<O> results = writer.apply(batch.stream().map(pending -> pending.item).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result = results.get(i);
            }
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.failure = e);
        } finally {
            batch.forEach(pending -> pending.written = true);
        }
    }

    /** One caller's item; its fields are written and read under the lock. */
    private static final class Pending<I, O> {
        final I item;
        O result;
        RuntimeException failure;
        boolean written;

        Pending(I item) {
            this.item = item;
        }
    }
}
