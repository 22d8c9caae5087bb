package io.irisx.core.internal;

import io.irisx.core.Channel;
import io.irisx.core.ratelimit.RateLimits;

/** Counts what the rate limiter held back; thread-safe. {@link #NONE} when the host meters nothing. */
public interface RateLimitMeters {

    /** Counts nothing. */
    RateLimitMeters NONE = (channel, stage) -> {
    };

    /** One send refused, or one delivery put off, by a limit on {@code channel} at {@code stage}. */
    void limited(Channel channel, RateLimits.Stage stage);

    /**
     * Counters in {@code registry}, a Micrometer {@code MeterRegistry} typed {@code Object} so that callers load
     * without Micrometer; {@link #NONE} when it is null.
     */
    static RateLimitMeters of(Object registry) {
        return registry == null ? NONE : MicrometerRateLimitMeters.of(registry);
    }
}
