package io.irisx.core.outbox;

/** A running consumer of one channel; thread-safe. Closing it stops it gracefully. */
public interface Subscription extends AutoCloseable {

    /**
     * Stops fetching work, waits (up to the options' shutdown timeout) for deliveries in progress to finish and
     * records their outcomes; what did not finish comes back to another worker after its claim times out.
     */
    @Override
    void close();
}
