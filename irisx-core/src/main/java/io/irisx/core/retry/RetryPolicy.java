package io.irisx.core.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try again after a failure; immutable and thread-safe.
 *
 * <p>A policy is a schedule of delays: the first try happens at once, and after the n-th failure the next try waits
 * the n-th delay of the schedule, give or take the jitter. When the schedule is used up the work is exhausted. So
 * the default, {@link #defaults()}, tries once and then retries 5 times, after 1 s, 2 s, 4 s, 8 s and 16 s: 6 tries
 * in all, the last about 31 s after the first. {@link #longSchedule()} is the Standard Webhooks schedule.
 *
 * <p>Jitter spreads retries of many failures so they do not arrive together: each delay is multiplied by a factor
 * drawn uniformly from {@code [1 - jitter, 1 + jitter]}.
 */
public final class RetryPolicy {

    /** The longest delay a schedule holds; an exponential schedule stops growing there. */
    public static final Duration MAX_DELAY = Duration.ofDays(365);

    private static final RetryPolicy DEFAULTS = exponential(Duration.ofSeconds(1), 2.0, 5).build();
    private static final RetryPolicy LONG = builder()
            .schedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                    Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)))
            .build();

    private final List<Duration> schedule;
    private final double jitter;
    private final DoubleSupplier random;

    private RetryPolicy(Builder builder) {
        this.schedule = List.copyOf(builder.schedule);
        this.jitter = builder.jitter;
        this.random = builder.random;
    }

    /** 5 retries after 1 s, 2 s, 4 s, 8 s and 16 s, with 20% jitter. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** The Standard Webhooks schedule: retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, with 20% jitter. */
    public static RetryPolicy longSchedule() {
        return LONG;
    }

    /** A policy that never retries: the first failure exhausts the work. */
    public static RetryPolicy none() {
        return builder().schedule(List.of()).build();
    }

    /**
     * A builder of {@code retries} delays starting at {@code initial} (1 ms to {@link #MAX_DELAY}), each
     * {@code multiplier} times the last, up to {@link #MAX_DELAY}.
     */
    public static Builder exponential(Duration initial, double multiplier, int retries) {
        requireDelay(initial, "initial");
        if (initial.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("initial must be at least 1 ms, was " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (retries < 0 || retries > 100) {
            throw new IllegalArgumentException("retries must be between 0 and 100, was " + retries);
        }
        List<Duration> delays = new ArrayList<>(retries);
        double millis = initial.toMillis();
        for (int i = 0; i < retries; i++) {
            delays.add(Duration.ofMillis(Math.round(Math.min(millis, MAX_DELAY.toMillis()))));
            millis *= multiplier;
        }
        return builder().schedule(delays);
    }

    /** A builder with no schedule yet (none: no retry) and 20% jitter. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's settings. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.schedule = schedule;
        builder.jitter = jitter;
        builder.random = random;
        return builder;
    }

    /** How many retries follow the first try. */
    public int retries() {
        return schedule.size();
    }

    /** How many tries there are in all: the first, then the retries. */
    public int maxAttempts() {
        return schedule.size() + 1;
    }

    /** The delays before each retry, without jitter. */
    public List<Duration> schedule() {
        return schedule;
    }

    /** The jitter, as a fraction of each delay. */
    public double jitter() {
        return jitter;
    }

    /**
     * How long to wait after {@code attemptsMade} tries have failed, jitter applied; empty when they were the last
     * allowed.
     *
     * @param attemptsMade how many tries have been made so far, at least 1
     */
    public Optional<Duration> delayAfter(int attemptsMade) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade must be at least 1, was " + attemptsMade);
        }
        if (attemptsMade > schedule.size()) {
            return Optional.empty();
        }
        Duration base = schedule.get(attemptsMade - 1);
        if (jitter == 0) {
            return Optional.of(base);
        }
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
    }

    @Override
    public String toString() {
        return "RetryPolicy" + schedule + " jitter=" + jitter;
    }

    private static void requireDelay(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        // Past a year a retry is no retry; and a delay in milliseconds must fit a long.
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(name + " must be positive and at most " + MAX_DELAY.toDays()
                    + " days, was " + duration);
        }
    }

    /** Builds a {@link RetryPolicy}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private List<Duration> schedule = List.of();
        private double jitter = 0.2;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /**
         * The delays before each retry, in order; each positive and at most {@link #MAX_DELAY}. An empty schedule
         * never retries.
         */
        public Builder schedule(List<Duration> delays) {
            Objects.requireNonNull(delays, "delays");
            for (int i = 0; i < delays.size(); i++) {
                requireDelay(delays.get(i), "schedule[" + i + "]");
            }
            this.schedule = List.copyOf(delays);
            return this;
        }

        /** The jitter as a fraction of each delay, from 0 (none) to 1. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** The source of uniform numbers in {@code [0, 1)} for the jitter; tests pass a fixed one. */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** A policy with these settings; the builder may be used again. */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
