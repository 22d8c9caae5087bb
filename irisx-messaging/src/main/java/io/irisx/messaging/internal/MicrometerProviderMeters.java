package io.irisx.messaging.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * A provider chain's meters in a Micrometer registry, each tagged with {@code channel} and {@code provider}:
 * {@code irisx.provider.calls}, a timer of every call tagged {@code outcome} (accepted, refused, failed or faulted),
 * and {@code irisx.provider.circuit.state}, a gauge of the provider's circuit (0 closed, 1 half-open, 2 open).
 * Thread-safe; loaded only when a sender is given a registry, so Micrometer stays optional. Not API.
 */
final class MicrometerProviderMeters implements ProviderMeters {

    private final MeterRegistry registry;
    private final String channel;

    private MicrometerProviderMeters(MeterRegistry registry, String channel) {
        this.registry = registry;
        this.channel = channel;
    }

    /** Meters in {@code registry}, a Micrometer {@code MeterRegistry}, for the chain of {@code channel}. */
    static ProviderMeters of(Object registry, String channel) {
        return new MicrometerProviderMeters((MeterRegistry) registry, channel);
    }

    @Override
    public void called(String provider, String outcome, long nanos) {
        Timer.builder("irisx.provider.calls").tag("channel", channel).tag("provider", provider).tag("outcome", outcome)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void watch(String provider, CircuitBreaker breaker) {
        Gauge.builder("irisx.provider.circuit.state", breaker, MicrometerProviderMeters::state)
                .tag("channel", channel).tag("provider", provider).register(registry);
    }

    private static double state(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
            default -> 0;
        };
    }
}
