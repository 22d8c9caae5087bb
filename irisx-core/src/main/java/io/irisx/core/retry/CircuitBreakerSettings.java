package io.irisx.core.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How each provider's circuit breaker behaves: it opens when at least {@code failureRatePercent} of the last
 * {@code windowSize} calls failed, counted once {@code minimumCalls} calls were made; it lets no call through for
 * {@code openFor}, then lets {@code halfOpenCalls} trial calls through, which close it again or open it anew.
 * Immutable.
 *
 * @param failureRatePercent the failure rate that opens the circuit, 1 to 100
 * @param windowSize how many of the latest calls count, 1 to 10,000
 * @param minimumCalls the fewest calls before the rate counts, 1 to {@code windowSize}
 * @param openFor how long an open circuit refuses calls, 1 second to 1 hour
 * @param halfOpenCalls the trial calls of a half-open circuit, 1 to 100
 */
public record CircuitBreakerSettings(int failureRatePercent, int windowSize, int minimumCalls, Duration openFor,
        int halfOpenCalls) {

    /** Checks every setting, naming the one refused and its value. */
    public CircuitBreakerSettings {
        Objects.requireNonNull(openFor, "openFor");
        check("failureRatePercent", failureRatePercent, 1, 100);
        check("windowSize", windowSize, 1, 10_000);
        check("minimumCalls", minimumCalls, 1, windowSize);
        check("halfOpenCalls", halfOpenCalls, 1, 100);
        if (openFor.compareTo(Duration.ofSeconds(1)) < 0 || openFor.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("openFor must be between 1 second and 1 hour, was " + openFor);
        }
    }

    /** Opens when half of the last 10 calls, at least 5, failed; half-opens after 30 s with one trial call. */
    public static CircuitBreakerSettings defaults() {
        return new CircuitBreakerSettings(50, 10, 5, Duration.ofSeconds(30), 1);
    }

    /** These settings with the circuit opening at {@code percent} failed calls. */
    public CircuitBreakerSettings withFailureRatePercent(int percent) {
        return new CircuitBreakerSettings(percent, windowSize, minimumCalls, openFor, halfOpenCalls);
    }

    /** These settings counting the last {@code size} calls, once {@code minimum} were made. */
    public CircuitBreakerSettings withWindow(int size, int minimum) {
        return new CircuitBreakerSettings(failureRatePercent, size, minimum, openFor, halfOpenCalls);
    }

    /** These settings with an open circuit refusing calls for {@code duration}. */
    public CircuitBreakerSettings withOpenFor(Duration duration) {
        return new CircuitBreakerSettings(failureRatePercent, windowSize, minimumCalls, duration, halfOpenCalls);
    }

    /** These settings with {@code calls} trial calls while half-open. */
    public CircuitBreakerSettings withHalfOpenCalls(int calls) {
        return new CircuitBreakerSettings(failureRatePercent, windowSize, minimumCalls, openFor, calls);
    }

    private static void check(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
