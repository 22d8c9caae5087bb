package io.irisx.core.outbox;

/** Where an outbox record stands in its life; immutable and thread-safe. */
public enum OutboxStatus {
    /** Waiting for a worker, due at its next attempt time. */
    PENDING,
    /** Claimed by a worker until its claim lapses. */
    IN_FLIGHT,
    /** Handled; kept until retention purges it, so its idempotency key keeps deduplicating. */
    DONE,
    /** Failed for good or out of tries; its dead letter says why. */
    DEAD
}
