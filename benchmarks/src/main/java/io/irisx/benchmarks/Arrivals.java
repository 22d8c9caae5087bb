package io.irisx.benchmarks;

import java.time.Duration;

/** Counts the requests a local provider server accepted, and lets a round wait for a number of them; thread-safe. */
public final class Arrivals {

    private final String what;
    private int count; // guarded by this

    /** Counts {@code what} (plural, e.g. {@code "emails"}), as named in the failures' messages. */
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

    /**
     * Fails the round unless exactly {@code wanted} were counted since the last {@link #reset()}: one sent twice
     * would be measured as one.
     */
    public synchronized void checkExactly(int wanted) {
        if (count != wanted) {
            throw new IllegalStateException("the provider accepted " + count + " " + what + ", not " + wanted);
        }
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
