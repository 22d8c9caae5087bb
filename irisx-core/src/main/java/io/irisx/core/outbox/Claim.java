package io.irisx.core.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One record a worker has claimed from the outbox table ({@link io.irisx.core.outbox.spi.OutboxClaims}): the work,
 * which try this is, and the token that proves the claim is still its own; immutable.
 *
 * @param envelope the work
 * @param attempt which try this is, from 1
 * @param createdAt when the envelope was queued
 * @param token the claim's token; settling checks it, so a worker whose claim lapsed cannot overwrite
 */
public record Claim(Envelope envelope, int attempt, Instant createdAt, String token) {

    /** Checks every field. */
    public Claim {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(token, "token");
    }

    /** The delivery a handler gets for this claim. */
    public Delivery delivery() {
        return new Delivery(envelope, attempt, createdAt);
    }
}
