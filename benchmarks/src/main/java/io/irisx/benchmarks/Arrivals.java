package io.irisx.benchmarks;

import java.time.Duration;

/** Counts the requests a local provider server accepted, and lets a round wait for a number of them; thread-safe. */
public final class Arrivals {

    private final String what;
    private int count; // guarded by this

    /** Counts {@code what} (plural, e.g. {@code "emails"}), as named in a timeout's message. */
    public Arrivals(String what) {
        this.what = what;
    }

    /** Counts one more. */
    public synchronized void add() {
        count++;
        notifyAll();
    }

    /** Forgets every one counted, before a new round. */
    public synchronized void reset() {
        count = 0;
    }

    /** How many were counted since the last {@link #reset()}. */
    public synchronized int count() {
        return count;
    }

    /** Waits until {@code wanted} were counted since the last {@link #reset()}; fails after {@code timeout}. */
    public synchronized void await(int wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < wanted) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("only " + count + " of " + wanted + " " + what
                        + " reached the provider within " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
