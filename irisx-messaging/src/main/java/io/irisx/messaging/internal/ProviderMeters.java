package io.irisx.messaging.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** Where a provider chain reports its calls and circuits; thread-safe. Not API. */
interface ProviderMeters {

    /** Reports nothing: the sender was given no meter registry. */
    ProviderMeters NONE = new ProviderMeters() {
        @Override
        public void called(String provider, String outcome, long nanos) {
        }

        @Override
        public void watch(String provider, CircuitBreaker breaker) {
        }
    };

    /** Provider {@code provider} was called, taking {@code nanos}; {@code outcome} says how it ended. */
    void called(String provider, String outcome, long nanos);

    /** Reports the state of {@code provider}'s circuit from now on. */
    void watch(String provider, CircuitBreaker breaker);
}
