package io.irisx.core.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An envelope that failed for good or used up its tries, kept so the host can see it, replay it or purge it;
 * immutable.
 *
 * @param envelope the work that failed
 * @param attempts how many tries were made
 * @param lastError the last failure's reason
 * @param deadAt when it was given up on
 * @param streamSequence the broker's sequence number of the last delivery, where there is a broker
 */
public record DeadLetter(Envelope envelope, int attempts, String lastError, Instant deadAt, OptionalLong streamSequence) {

    /** Checks every field. */
    public DeadLetter {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(deadAt, "deadAt");
        Objects.requireNonNull(streamSequence, "streamSequence");
    }
}
