package io.irisx.voice.tts.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** Where text-to-speech reports its calls, characters, cache and circuits; thread-safe. Not API. */
public interface TtsMeters {

    /** Reports nothing: no meter registry was given. */
    TtsMeters NONE = new TtsMeters() {
        @Override
        public void called(String provider, String outcome, long nanos) {
        }

        @Override
        public void billed(String provider, int characters) {
        }

        @Override
        public void cache(String result) {
        }

        @Override
        public void watch(String provider, CircuitBreaker breaker) {
        }
    };

    /** The meters in {@code registry}, a Micrometer {@code MeterRegistry}. */
    static TtsMeters of(Object registry) {
        return MicrometerTtsMeters.of(registry);
    }

    /**
     * Provider {@code provider} was tried, taking {@code nanos}; {@code outcome} says how it ended: synthesized,
     * refused, failed or circuit_open.
     */
    void called(String provider, String outcome, long nanos);

    /** Provider {@code provider} billed {@code characters} for a synthesis. */
    void billed(String provider, int characters);

    /** A lookup in the cache: {@code hit} or {@code miss}. */
    void cache(String result);

    /** Reports the state of {@code provider}'s circuit from now on. */
    void watch(String provider, CircuitBreaker breaker);
}
