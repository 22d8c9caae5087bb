package io.irisx.core.retry;

/** Where a provider's circuit breaker stands. */
public enum CircuitState {
    /** Calls go through. */
    CLOSED,
    /** The wait in the open state is over: a few trial calls go through, and decide whether it closes again. */
    HALF_OPEN,
    /** Too many calls failed: calls are refused until the wait in the open state is over. */
    OPEN,
    /** Held open until the process restarts (a provider that failed in a way retrying cannot mend). */
    FORCED_OPEN
}
