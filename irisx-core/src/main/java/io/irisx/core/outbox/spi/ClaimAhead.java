package io.irisx.core.outbox.spi;

import io.irisx.core.outbox.ConsumeOptions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far one subscription's worker may claim records ahead of its handlers, so that a freed handler finds its next
 * record claimed already instead of waiting for the next claim (a transaction with its own commit); thread-safe.
 *
 * <p>A worker always holds (claims, and has not yet handled) up to {@code concurrency} records. While its handlers
 * are quick it holds a batch more: once they have handled {@code concurrency} records, one of them lately, and while
 * a record claimed ahead would start, and finish, within a quarter of its claim's time at the handlers' recent average
 * (it waits for at most {@code batchSize / concurrency} handlings in line). A record that waited in line longer all
 * the same (every handler got stuck) is {@link #waitedTooLong stale}: its worker hands it back untried rather than
 * handle it on a claim about to lapse.
 */
public final class ClaimAhead {

    private final int concurrency;
    private final int batchSize;
    private final long budgetNanos;
    private final long ahead;
    /** The handlers' recent average time per record, in nanoseconds (a moving average over about 8). */
    private final AtomicLong averageNanos = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private volatile long lastHandled;

    private ClaimAhead(ConsumeOptions options) {
        this.concurrency = options.concurrency();
        this.batchSize = options.batchSize();
        this.budgetNanos = options.claimTimeout().toNanos() / 4;
        this.ahead = (long) batchSize / concurrency + 1;
    }

    /** The claiming pace of a subscription with {@code options}. */
    public static ClaimAhead of(ConsumeOptions options) {
        return new ClaimAhead(Objects.requireNonNull(options, "options"));
    }

    /** How many more records the worker may claim now, holding {@code held}; zero or less when none. */
    public int room(int held) {
        boolean quick = handled.get() >= concurrency && averageNanos.get() * ahead < budgetNanos
                && System.nanoTime() - lastHandled < budgetNanos / ahead;
        return (quick ? concurrency + batchSize : concurrency) - held;
    }

    /**
     * How many records the worker should claim (or pull) now, holding {@code held}: up to a batch as its {@link #room}
     * allows, but while it holds more than its handlers can take at once, none before half a batch is free, so that a
     * backlog is taken in batches, each claim's work shared by many records, rather than one record each time a
     * handler frees its place.
     */
    public int batch(int held) {
        int room = room(held);
        if (room <= 0 || held <= concurrency || room >= (batchSize + 1) / 2) {
            return Math.max(0, Math.min(room, batchSize));
        }
        return 0;
    }

    /**
     * Takes one place of the worker's {@link #room}: adds one to {@code taken}, the places it holds beyond
     * {@code alsoHeld}, while there is room for it; false, changing nothing, when there is none.
     */
    public boolean take(AtomicInteger taken, int alsoHeld) {
        int now = taken.get();
        while (room(alsoHeld + now) > 0) {
            if (taken.compareAndSet(now, now + 1)) {
                return true;
            }
            now = taken.get();
        }
        return false;
    }

    /** True when a record claimed at {@code claimedAt} ({@link System#nanoTime()}) waited too long to be handled now. */
    public boolean waitedTooLong(long claimedAt) {
        return System.nanoTime() - claimedAt > budgetNanos;
    }

    /** Notes a handling that ran from {@code start} to {@code end} ({@link System#nanoTime()}). */
    public void handled(long start, long end) {
        long took = end - start;
        averageNanos.getAndUpdate(average -> average == 0 ? took : average + (took - average) / 8);
        handled.incrementAndGet();
        lastHandled = end;
    }
}
