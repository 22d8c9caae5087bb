package io.irisx.core.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One attempt at an envelope, as a handler receives it; immutable.
 *
 * @param envelope the work
 * @param attempt which try this is, from 1
 * @param firstQueuedAt when the envelope was queued
 */
public record Delivery(Envelope envelope, int attempt, Instant firstQueuedAt) {

    /** Checks every field. */
    public Delivery {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(firstQueuedAt, "firstQueuedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }
}
