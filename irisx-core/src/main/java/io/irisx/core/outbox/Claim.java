package io.irisx.core.outbox;

import java.time.Instant;

/**
 * One record a worker has claimed: the work, which try this is, and the token that proves the claim is still its
 * own; immutable.
 */
record Claim(Envelope envelope, int attempt, Instant createdAt, String token) {

    Delivery delivery() {
        return new Delivery(envelope, attempt, createdAt);
    }
}
