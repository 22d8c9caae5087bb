package io.irisx.webhooks.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The delivery engine's meters in a Micrometer registry: {@code irisx.webhooks.deliveries}, a timer of every attempt
 * (its request's latency) tagged {@code outcome}. Thread-safe; loaded only when the engine is given a registry, so
 * Micrometer stays optional. Not API.
 */
final class MicrometerDeliveryMeters implements DeliveryMeters {

    private final MeterRegistry registry;

    private MicrometerDeliveryMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    static DeliveryMeters of(Object registry) {
        return new MicrometerDeliveryMeters((MeterRegistry) registry);
    }

    @Override
    public void attempted(String outcome, Duration latency) {
        Timer.builder("irisx.webhooks.deliveries").tag("outcome", outcome).register(registry).record(latency);
    }
}
