package io.irisx.webhooks.internal;

import java.time.Duration;

/** Where the delivery engine reports its attempts; thread-safe. Not API. */
public interface DeliveryMeters {

    /** Reports nothing: the engine was given no meter registry. */
    DeliveryMeters NONE = (outcome, latency) -> { };

    /** Meters in {@code registry}, a Micrometer {@code MeterRegistry}; loads Micrometer only when called. */
    static DeliveryMeters micrometer(Object registry) {
        return MicrometerDeliveryMeters.of(registry);
    }

    /**
     * An attempt ended with {@code outcome} (succeeded, retrying, exhausted, gone or blocked) after {@code latency}.
     */
    void attempted(String outcome, Duration latency);
}
