package io.irisx.core.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link JdbcOutbox} holds for one envelope, as read at one moment; immutable and thread-safe.
 *
 * @param envelope the work
 * @param status where it stands
 * @param attempts how many tries have been started (a claim counts as a try)
 * @param nextAttemptAt when it is due, while {@link OutboxStatus#PENDING}
 * @param lastError the last failure's reason, if a try has failed
 * @param createdAt when it was queued
 * @param updatedAt when it last changed
 */
public record OutboxRecord(Envelope envelope, OutboxStatus status, int attempts, Instant nextAttemptAt,
        Optional<String> lastError, Instant createdAt, Instant updatedAt) {

    /** Checks every field. */
    public OutboxRecord {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
    }
}
