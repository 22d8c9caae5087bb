package io.irisx.core.internal;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/** Bucket4j's time taken from the runtime's {@link Clock}, so that tests move time instead of waiting; thread-safe. */
public final class ClockTimeMeter implements TimeMeter {

    private final Clock clock;

    /** Time as {@code clock} tells it. */
    public ClockTimeMeter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Wall-clock time: processes sharing a stored bucket read their own clocks, which must agree. */
    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
