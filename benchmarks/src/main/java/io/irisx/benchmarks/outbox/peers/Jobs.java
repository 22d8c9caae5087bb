package io.irisx.benchmarks.outbox.peers;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The jobs of one measurement: their 512-byte payloads (each naming its job's number), when each was queued and first
 * handled, and how many were handled more than once; thread-safe. The handlers of every system reach the current
 * measurement's jobs through {@link #handleCurrent(String)}, as some systems build their handlers themselves.
 */
final class Jobs {

    /** Every job's payload size, in bytes (ASCII). */
    static final int PAYLOAD_SIZE = 512;
    private static final int NUMBER_DIGITS = 10;
    private static final String PADDING = "x".repeat(PAYLOAD_SIZE - NUMBER_DIGITS);

    private static volatile Jobs current;

    private final int count;
    private final long handlerNanos;
    private final long[] queuedAt;
    private final long[] handledAt;
    private final AtomicIntegerArray handlings;
    private final LongAdder repeats = new LongAdder();
    private final CountDownLatch allHandled;

    private Jobs(int count, Duration handlerTime) {
        this.count = count;
        this.handlerNanos = handlerTime.toNanos();
        this.queuedAt = new long[count];
        this.handledAt = new long[count];
        this.handlings = new AtomicIntegerArray(count);
        this.allHandled = new CountDownLatch(count);
    }

    /** Starts a measurement of {@code count} jobs whose handler works {@code handlerTime} each, and makes it current. */
    static Jobs start(int count, Duration handlerTime) {
        Jobs jobs = new Jobs(count, handlerTime);
        current = jobs;
        return jobs;
    }

    /** Handles a job of the current measurement: what every system's handler does. */
    static void handleCurrent(String payload) throws InterruptedException {
        current.handle(payload);
    }

    int count() {
        return count;
    }

    /** The payload of job {@code i}. */
    String payload(int i) {
        return String.format("%0" + NUMBER_DIGITS + "d", i) + PADDING;
    }

    /** Notes that job {@code i} is being queued now. */
    void queuing(int i) {
        queuedAt[i] = System.nanoTime();
    }

    private void handle(String payload) throws InterruptedException {
        long now = System.nanoTime();
        int i = Integer.parseInt(payload, 0, NUMBER_DIGITS, 10);
        if (handlings.getAndIncrement(i) == 0) {
            handledAt[i] = now;
            allHandled.countDown();
        } else {
            repeats.increment();
        }
        if (handlerNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(handlerNanos);
        }
    }

    /** Waits until every job was handled once; fails after {@code timeout}. */
    void awaitAll(Duration timeout) throws InterruptedException {
        if (!allHandled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("only " + (count - allHandled.getCount()) + " of " + count
                    + " jobs were handled within " + timeout);
        }
    }

    /** The latch that falls when every job was handled once. */
    CountDownLatch allHandled() {
        return allHandled;
    }

    /** Handlings beyond the first of each job. */
    long repeats() {
        return repeats.sum();
    }

    /**
     * Jobs handled per second from the first job's handling to the last's: a backlog's drain rate, without the time
     * a system takes to start its workers; once {@link #awaitAll} returned.
     */
    double drainRate() {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (long at : handledAt) {
            first = Math.min(first, at);
            last = Math.max(last, at);
        }
        return (count - 1) * 1e9 / Math.max(1, last - first);
    }

    /** Each job's time from queueing to its first handling, in nanoseconds; once {@link #awaitAll} returned. */
    long[] latencies() {
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            latencies[i] = handledAt[i] - queuedAt[i];
        }
        return latencies;
    }
}
