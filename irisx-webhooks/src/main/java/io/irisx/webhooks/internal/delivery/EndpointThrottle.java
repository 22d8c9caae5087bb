package io.irisx.webhooks.internal.delivery;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps deliveries to each endpoint within that endpoint's limits: how many may be in flight at once, and how many
 * may start per second; thread-safe, meant to be shared by every delivery worker of a process.
 *
 * <p>It never blocks. {@link #tryAcquire} answers at once with a {@link Permit}: granted, to be closed when the
 * delivery is over, or refused, with how long to wait before asking again; the caller puts the delivery off by that
 * long and its worker goes on with other endpoints. Limits are per endpoint, so a slow or rate-limited endpoint holds
 * back only its own deliveries. The limits hold within one process; each process sharing the work keeps its own.
 *
 * <p>The rate is a token bucket (Bucket4j) holding one second's worth of starts and refilled continuously, so an
 * idle endpoint may take a burst of that many. When an endpoint's limits change, new limits apply to the deliveries
 * that start afterwards; deliveries already in flight count against the old ones until they end.
 */
public final class EndpointThrottle {

    private final ConcurrentMap<String, Limits> limits = new ConcurrentHashMap<>();
    private final TimeMeter timeMeter;
    private final Duration busyDelay;

    private EndpointThrottle(Builder builder) {
        Clock clock = builder.clock;
        this.timeMeter = new ClockTimeMeter(clock);
        this.busyDelay = builder.busyDelay;
    }

    /** A throttle on the system clock, asking a caller refused for concurrency to come back after 1 s. */
    public static EndpointThrottle create() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks to start one delivery to an endpoint.
     *
     * @param endpointId the endpoint, such as its {@code ep_…} id
     * @param ratePerSecond how many deliveries to it may start per second, at least 1; empty for no limit
     * @param maxConcurrency how many deliveries to it may be in flight at once, at least 1; empty for no limit
     * @return a granted permit to close when the delivery ends, or a refused one saying how long to wait
     * @throws IllegalArgumentException when a limit is less than 1
     */
    public Permit tryAcquire(String endpointId, OptionalInt ratePerSecond, OptionalInt maxConcurrency) {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(ratePerSecond, "ratePerSecond");
        Objects.requireNonNull(maxConcurrency, "maxConcurrency");
        int rate = checkLimit(ratePerSecond, "ratePerSecond");
        int concurrency = checkLimit(maxConcurrency, "maxConcurrency");
        if (rate == 0 && concurrency == 0) {
            limits.remove(endpointId);
            return Permit.granted(null);
        }
        Limits current = limits.get(endpointId);
        if (current == null || !current.sameAs(rate, concurrency)) {
            current = limits.compute(endpointId,
                    (id, old) -> old != null && old.sameAs(rate, concurrency) ? old : new Limits(rate, concurrency, timeMeter));
        }
        Semaphore inFlight = current.inFlight;
        if (inFlight != null && !inFlight.tryAcquire()) {
            return Permit.refused(busyDelay);
        }
        if (current.bucket != null) {
            ConsumptionProbe probe = current.bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                if (inFlight != null) {
                    inFlight.release();
                }
                return Permit.refused(Duration.ofNanos(probe.getNanosToWaitForRefill()));
            }
        }
        return Permit.granted(inFlight);
    }

    /**
     * How many more deliveries to an endpoint could start now under its rate limit, as last given; empty when it
     * has none.
     */
    public OptionalInt availableStarts(String endpointId) {
        Limits current = limits.get(Objects.requireNonNull(endpointId, "endpointId"));
        return current == null || current.bucket == null
                ? OptionalInt.empty()
                : OptionalInt.of((int) Math.min(Integer.MAX_VALUE, current.bucket.getAvailableTokens()));
    }

    /** How many deliveries to an endpoint hold a permit now (0 when it has no concurrency limit). */
    public int inFlight(String endpointId) {
        Limits current = limits.get(Objects.requireNonNull(endpointId, "endpointId"));
        return current == null || current.inFlight == null ? 0 : current.concurrency - current.inFlight.availablePermits();
    }

    /** Drops what is kept for an endpoint, once it is deleted or disabled; permits still out stay valid. */
    public void forget(String endpointId) {
        limits.remove(Objects.requireNonNull(endpointId, "endpointId"));
    }

    private static int checkLimit(OptionalInt limit, String name) {
        if (limit.isEmpty()) {
            return 0;
        }
        if (limit.getAsInt() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 when given, was " + limit.getAsInt());
        }
        return limit.getAsInt();
    }

    /** One endpoint's limits and their state; 0 means no limit of that kind. */
    private static final class Limits {
        final int rate;
        final int concurrency;
        final Bucket bucket;
        final Semaphore inFlight;

        Limits(int rate, int concurrency, TimeMeter timeMeter) {
            this.rate = rate;
            this.concurrency = concurrency;
            this.bucket = rate == 0 ? null : Bucket.builder()
                    .addLimit(limit -> limit.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1)))
                    .withCustomTimePrecision(timeMeter)
                    .build();
            this.inFlight = concurrency == 0 ? null : new Semaphore(concurrency);
        }

        boolean sameAs(int rate, int concurrency) {
            return this.rate == rate && this.concurrency == concurrency;
        }
    }

    /** Bucket4j's time from the injected clock, so tests move time instead of waiting. */
    private static final class ClockTimeMeter implements TimeMeter {
        private final Clock clock;

        ClockTimeMeter(Clock clock) {
            this.clock = clock;
        }

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }

    /**
     * The answer to {@link #tryAcquire}: a granted permit holds one of its endpoint's concurrency slots until closed;
     * a refused one holds nothing and says how long to wait. Closing is idempotent, and does nothing for a refused
     * permit, so it can always go in a try-with-resources. Thread-safe.
     */
    public static final class Permit implements AutoCloseable {
        private final boolean granted;
        private final Duration retryAfter;
        private final Semaphore slot;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(boolean granted, Duration retryAfter, Semaphore slot) {
            this.granted = granted;
            this.retryAfter = retryAfter;
            this.slot = slot;
        }

        static Permit granted(Semaphore slot) {
            return new Permit(true, Duration.ZERO, slot);
        }

        static Permit refused(Duration retryAfter) {
            return new Permit(false, retryAfter, null);
        }

        /** Whether the delivery may start now. */
        public boolean isGranted() {
            return granted;
        }

        /** How long to wait before asking again when refused; zero when granted. */
        public Duration retryAfter() {
            return retryAfter;
        }

        /** Gives the concurrency slot back, once; the delivery is over. */
        @Override
        public void close() {
            if (slot != null && released.compareAndSet(false, true)) {
                slot.release();
            }
        }

        @Override
        public String toString() {
            return granted ? "Permit[granted]" : "Permit[refused, retryAfter=" + retryAfter + "]";
        }
    }

    /** Builds an {@link EndpointThrottle}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration busyDelay = Duration.ofSeconds(1);

        private Builder() {
        }

        /** The clock the rate limits are measured on; the system's unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long a caller refused because its endpoint has as many deliveries in flight as it may should wait
         * before asking again; positive, 1 s unless set.
         */
        public Builder busyDelay(Duration busyDelay) {
            Objects.requireNonNull(busyDelay, "busyDelay");
            if (busyDelay.isNegative() || busyDelay.isZero()) {
                throw new IllegalArgumentException("busyDelay must be positive, was " + busyDelay);
            }
            this.busyDelay = busyDelay;
            return this;
        }

        /** A throttle with these settings. */
        public EndpointThrottle build() {
            return new EndpointThrottle(this);
        }
    }
}
