package io.irisx.core.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What a {@link Handler} made of a delivery: done, try again, not tried yet, or failed for good. */
public sealed interface Outcome {

    /** The work is done; the envelope is acknowledged and never delivered again. */
    static Outcome done() {
        return Done.INSTANCE;
    }

    /** Try again after the {@link io.irisx.core.retry.RetryPolicy}'s next delay; dead-lettered when exhausted. */
    static Outcome retry(String reason) {
        return new Retry(Optional.empty(), reason);
    }

    /** Try again after {@code delay} (a provider's {@code Retry-After}); still bounded by the policy's tries. */
    static Outcome retryAfter(Duration delay, String reason) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return new Retry(Optional.of(delay), reason);
    }

    /**
     * The work was not tried (a rate limit or a busy endpoint held it back): deliver it again after {@code delay},
     * without counting this delivery as one of the policy's tries.
     */
    static Outcome defer(Duration delay, String reason) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return new Defer(delay, reason);
    }

    /** Failed for good (a permanent provider error, bad data): dead-lettered at once, never retried. */
    static Outcome fail(String reason) {
        return new Fail(reason);
    }

    /** The work is done. */
    enum Done implements Outcome {
        /** The only instance. */
        INSTANCE
    }

    /**
     * Try again.
     *
     * @param delay the delay the handler asks for, or empty for the policy's
     * @param reason why this try failed, kept as the last error
     */
    record Retry(Optional<Duration> delay, String reason) implements Outcome {
        /** Checks every field. */
        public Retry {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Not tried yet.
     *
     * @param delay how long to hold the envelope back
     * @param reason what held it back
     */
    record Defer(Duration delay, String reason) implements Outcome {
        /** Checks every field. */
        public Defer {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Failed for good.
     *
     * @param reason why, kept on the dead letter
     */
    record Fail(String reason) implements Outcome {
        /** Checks every field. */
        public Fail {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
