package io.irisx.webhooks.endpoint;

import io.irisx.core.id.EndpointId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A webhook endpoint as stored, without its secret; immutable.
 *
 * @param id the endpoint's id
 * @param url where messages are posted, in the SSRF guard's canonical form
 * @param description the customer's note, possibly empty
 * @param eventTypes the event types it receives; empty when it receives every type
 * @param labels the host's labels for it
 * @param headers extra request headers sent with every message
 * @param rateLimitPerSecond the most messages per second to send it, when limited
 * @param maxConcurrency the most deliveries in flight to it at once, when limited
 * @param testMode whether it is a test endpoint: it receives only the events of test-mode work
 *     ({@link io.irisx.core.event.Event#test()}), and a live endpoint only the others; set at creation, never changed
 * @param disabled whether deliveries to it are stopped
 * @param disabledReason why it was disabled, while it is
 * @param disabledAt when it was disabled, while it is
 * @param failingSince when its current run of failed deliveries began, while it is failing
 * @param failureCount how many deliveries failed in a row
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
public record Endpoint(EndpointId id, String url, String description, Set<String> eventTypes, Set<String> labels,
        Map<String, String> headers, OptionalInt rateLimitPerSecond, OptionalInt maxConcurrency, boolean testMode,
        boolean disabled,
        Optional<String> disabledReason, Optional<Instant> disabledAt, Optional<Instant> failingSince,
        int failureCount, Instant createdAt, Instant updatedAt) {

    /** Checks that no field is null and keeps immutable copies of the collections. */
    public Endpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(description, "description");
        eventTypes = Set.copyOf(eventTypes);
        labels = Set.copyOf(labels);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(rateLimitPerSecond, "rateLimitPerSecond");
        Objects.requireNonNull(maxConcurrency, "maxConcurrency");
        Objects.requireNonNull(disabledReason, "disabledReason");
        Objects.requireNonNull(disabledAt, "disabledAt");
        Objects.requireNonNull(failingSince, "failingSince");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Whether the endpoint receives every event type (its filter is empty). */
    public boolean receivesAllEventTypes() {
        return eventTypes.isEmpty();
    }

    /** Whether the endpoint receives events named {@code eventType}. */
    public boolean receives(String eventType) {
        return eventTypes.isEmpty() || eventTypes.contains(eventType);
    }

    /** Describes the endpoint with its header names only, since header values may be credentials. */
    @Override
    public String toString() {
        return "Endpoint[" + id + " " + url + " eventTypes=" + (eventTypes.isEmpty() ? "all" : eventTypes)
                + " headers=" + headers.keySet() + (testMode ? " test" : "") + (disabled ? " disabled]" : "]");
    }
}
