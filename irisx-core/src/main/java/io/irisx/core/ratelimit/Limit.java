package io.irisx.core.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate as a token bucket: {@code tokens} per {@code period}, refilled continuously, in a bucket holding at most
 * {@code burst} tokens (by default one period's worth), so that an idle tenant may take a burst of that many at once
 * and then goes at the rate. Over any span of time {@code t}, at most {@code burst + tokens * t / period} are taken.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * Limit.perSecond(100).burst(200)               // 100 a second, 200 at once after a quiet spell
 * Limit.of(10_000, Duration.ofDays(1))          // 10,000 a day
 * }</pre>
 */
public final class Limit {

    /** The largest number of tokens a period, and of a burst. */
    public static final long MAX_TOKENS = 1_000_000_000L;
    /** The shortest period. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(1);
    /** The longest period. */
    public static final Duration MAX_PERIOD = Duration.ofDays(31);

    private static final Limit UNLIMITED = new Limit(0, Duration.ZERO, 0);

    private final long tokens;
    private final Duration period;
    private final long burst;

    private Limit(long tokens, Duration period, long burst) {
        this.tokens = tokens;
        this.period = period;
        this.burst = burst;
    }

    /**
     * {@code tokens} per {@code period}, with a burst of {@code tokens}.
     *
     * @param tokens 1 to {@value #MAX_TOKENS}
     * @param period 1 ms to 31 days
     * @throws IllegalArgumentException naming the value when either is out of range
     */
    public static Limit of(long tokens, Duration period) {
        Objects.requireNonNull(period, "period");
        if (tokens < 1 || tokens > MAX_TOKENS) {
            throw new IllegalArgumentException("tokens must be between 1 and " + MAX_TOKENS + ", was " + tokens);
        }
        if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("period must be between 1 ms and 31 days, was " + period);
        }
        return new Limit(tokens, period, tokens);
    }

    /** {@code tokens} a second, with a burst of {@code tokens}; see {@link #of}. */
    public static Limit perSecond(long tokens) {
        return of(tokens, Duration.ofSeconds(1));
    }

    /** {@code tokens} a minute, with a burst of {@code tokens}; see {@link #of}. */
    public static Limit perMinute(long tokens) {
        return of(tokens, Duration.ofMinutes(1));
    }

    /**
     * No limit: for a tenant that the {@linkplain RateLimits.Builder defaults} should not hold back. It has no
     * tokens, period nor burst, and {@link #burst(long)} refuses it.
     */
    public static Limit unlimited() {
        return UNLIMITED;
    }

    /**
     * This rate with a bucket of {@code burst} tokens: how many may be taken at once after a quiet spell. Smaller
     * than the tokens of a period smooths the rate (at most {@code burst} at once); larger lets bursts through.
     *
     * @param burst 1 to {@value #MAX_TOKENS}
     * @throws IllegalArgumentException naming the value when it is out of range
     * @throws IllegalStateException on {@link #unlimited()}
     */
    public Limit burst(long burst) {
        if (isUnlimited()) {
            throw new IllegalStateException("an unlimited Limit has no burst");
        }
        if (burst < 1 || burst > MAX_TOKENS) {
            throw new IllegalArgumentException("burst must be between 1 and " + MAX_TOKENS + ", was " + burst);
        }
        return new Limit(tokens, period, burst);
    }

    /** Whether this is {@link #unlimited()}. */
    public boolean isUnlimited() {
        return this == UNLIMITED;
    }

    /** How many tokens are added over each {@link #period()}; 0 when unlimited. */
    public long tokens() {
        return tokens;
    }

    /** The period over which {@link #tokens()} are added; zero when unlimited. */
    public Duration period() {
        return period;
    }

    /** How many tokens the bucket holds at most, and holds at first; 0 when unlimited. */
    public long burst() {
        return burst;
    }

    /** The time one token takes to come back, at least 1 ns; zero when unlimited. */
    public Duration interval() {
        return isUnlimited() ? Duration.ZERO : Duration.ofNanos(Math.max(1, period.toNanos() / tokens));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Limit that && that.tokens == tokens && that.period.equals(period)
                && that.burst == burst;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokens, period, burst);
    }

    /** As people read it: {@code "100 per 1 s, burst 200"}, or {@code "unlimited"}. */
    @Override
    public String toString() {
        return isUnlimited() ? "unlimited" : tokens + " per " + describe(period) + ", burst " + burst;
    }

    private static String describe(Duration period) {
        long millis = period.toMillis();
        long nanos = period.toNanos();
        if (nanos % 86_400_000_000_000L == 0) {
            return period.toDays() + " d";
        }
        if (nanos % 3_600_000_000_000L == 0) {
            return period.toHours() + " h";
        }
        if (nanos % 60_000_000_000L == 0) {
            return period.toMinutes() + " min";
        }
        if (nanos % 1_000_000_000L == 0) {
            return period.toSeconds() + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return millis + " ms";
        }
        return nanos + " ns";
    }
}
