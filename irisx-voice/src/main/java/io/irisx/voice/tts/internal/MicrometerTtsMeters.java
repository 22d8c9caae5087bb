package io.irisx.voice.tts.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Text-to-speech meters in a Micrometer registry: {@code irisx.tts.calls}, a timer of every provider try tagged
 * {@code provider} and {@code outcome} (synthesized, refused, failed, circuit_open); {@code irisx.tts.characters}, a
 * counter of billed characters tagged {@code provider}; {@code irisx.tts.cache}, a counter of lookups tagged
 * {@code result} (hit, miss); {@code irisx.tts.circuit.state}, a gauge of each provider's circuit (0 closed,
 * 1 half-open, 2 open). Thread-safe; loaded only when a registry is given, so Micrometer stays optional. Not API.
 */
final class MicrometerTtsMeters implements TtsMeters {

    private final MeterRegistry registry;

    private MicrometerTtsMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    static TtsMeters of(Object registry) {
        return new MicrometerTtsMeters((MeterRegistry) registry);
    }

    @Override
    public void called(String provider, String outcome, long nanos) {
        Timer.builder("irisx.tts.calls").tag("provider", provider).tag("outcome", outcome).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void billed(String provider, int characters) {
        Counter.builder("irisx.tts.characters").tag("provider", provider).register(registry).increment(characters);
    }

    @Override
    public void cache(String result) {
        Counter.builder("irisx.tts.cache").tag("result", result).register(registry).increment();
    }

    @Override
    public void watch(String provider, CircuitBreaker breaker) {
        Gauge.builder("irisx.tts.circuit.state", breaker, MicrometerTtsMeters::state).tag("provider", provider)
                .register(registry);
    }

    private static double state(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
            default -> 0;
        };
    }
}
