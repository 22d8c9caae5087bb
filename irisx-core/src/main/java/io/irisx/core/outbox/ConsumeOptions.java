package io.irisx.core.outbox;

import io.irisx.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/** How a subscription consumes a channel: concurrency, retries, claim timeout, batching; immutable. */
public final class ConsumeOptions {

    private final int concurrency;
    private final RetryPolicy retryPolicy;
    private final Duration claimTimeout;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration shutdownTimeout;
    private final Consumer<DeadLetter> onDeadLetter;

    private ConsumeOptions(Builder b) {
        this.concurrency = b.concurrency;
        this.retryPolicy = b.retryPolicy;
        this.claimTimeout = b.claimTimeout;
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.shutdownTimeout = b.shutdownTimeout;
        this.onDeadLetter = b.onDeadLetter;
    }

    /** The defaults: 4 handlers at once, {@link RetryPolicy#defaults()}, 30 s claims, batches of 32. */
    public static ConsumeOptions defaults() {
        return builder().build();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return builder().concurrency(concurrency).retryPolicy(retryPolicy).claimTimeout(claimTimeout)
                .batchSize(batchSize).pollInterval(pollInterval).shutdownTimeout(shutdownTimeout)
                .onDeadLetter(onDeadLetter);
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many deliveries run at once in this process. */
    public int concurrency() {
        return concurrency;
    }

    /** When to try again after a failure, and how often. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * How long a claimed delivery stays invisible to other workers (JetStream: the AckWait); a worker that dies
     * holding it lets it come back after this time.
     */
    public Duration claimTimeout() {
        return claimTimeout;
    }

    /**
     * How many envelopes one fetch claims at most, and how many handled envelopes' outcomes may wait to be recorded
     * (written together) before a handler waits: a worker that dies leaves at most {@code concurrency + batchSize}
     * envelopes handled, or being handled, and not recorded, each delivered again once its claim lapses.
     */
    public int batchSize() {
        return batchSize;
    }

    /** How long an idle worker waits before asking for work again. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** How long {@link Subscription#close()} waits for deliveries in progress to finish. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Called once for each envelope that becomes a dead letter, after it is stored as one. */
    public Consumer<DeadLetter> onDeadLetter() {
        return onDeadLetter;
    }

    /** Builds {@link ConsumeOptions}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private int concurrency = 4;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration claimTimeout = Duration.ofSeconds(30);
        private int batchSize = 32;
        private Duration pollInterval = Duration.ofMillis(200);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Consumer<DeadLetter> onDeadLetter = deadLetter -> { };

        private Builder() {
        }

        /** Deliveries that run at once in this process, 1 to 1024. */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > 1024) {
                throw new IllegalArgumentException("concurrency must be between 1 and 1024, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /** The retry policy. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** How long a claim lasts, 1 s to 12 h. */
        public Builder claimTimeout(Duration claimTimeout) {
            this.claimTimeout = between(claimTimeout, "claimTimeout", Duration.ofSeconds(1), Duration.ofHours(12));
            return this;
        }

        /** Envelopes claimed per fetch, and outcomes waiting to be recorded at most, 1 to 1000 (default 32). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 1000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 1000, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Idle wait between fetches, 1 ms to 1 min. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = between(pollInterval, "pollInterval", Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /** How long closing waits for deliveries in progress, 0 to 10 min. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = between(shutdownTimeout, "shutdownTimeout", Duration.ZERO, Duration.ofMinutes(10));
            return this;
        }

        /** Called for each new dead letter; its exceptions are logged, never propagated. */
        public Builder onDeadLetter(Consumer<DeadLetter> onDeadLetter) {
            this.onDeadLetter = Objects.requireNonNull(onDeadLetter, "onDeadLetter");
            return this;
        }

        /** Options with these settings; the builder may be used again. */
        public ConsumeOptions build() {
            return new ConsumeOptions(this);
        }

        private static Duration between(Duration value, String name, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }
    }
}
