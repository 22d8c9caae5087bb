package io.irisx.queue;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How a {@link StreamWorker} answers for a record it handles: to the broker, for a {@link Delivered} message, or to
 * no one, for a record queued claimed for the worker in its own process, which the broker never held.
 */
interface Reply {

    /** The record is settled: the broker may forget the message. */
    void ack();

    /** Deliver the message again after {@code delay}. */
    void nakWithDelay(Duration delay);

    /** The record is dead: never deliver the message again. */
    void term();

    /** The handler is still working: hold the record for it. */
    void inProgress();

    /** The broker's sequence number of the delivery, where a broker delivered the record. */
    OptionalLong streamSequence();
}
