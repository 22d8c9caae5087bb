package io.irisx.core.event;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.id.EventId;
import io.irisx.core.internal.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened to a tenant's message, call or endpoint; immutable.
 *
 * @param id the event's id, the same in every webhook that carries it
 * @param type what happened
 * @param tenant whose it is
 * @param occurredAt when it happened
 * @param data the details, a JSON object as text
 * @param test whether it happened to test-mode work (a tenant's {@link io.irisx.core.Tenant#testMode() test view});
 *     webhooks deliver a test event only to the tenant's test endpoints, and a live one only to its live endpoints
 */
public record Event(EventId id, EventType type, TenantId tenant, Instant occurredAt, String data, boolean test) {

    /** Checks every field; {@code data} must be a JSON object. */
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(data, "data");
        if (!Json.isObject(data)) {
            throw new IrisxValidationException("event.data", data, "must be a JSON object");
        }
    }

    /** A live event: the event of these fields, not {@link #test() test}. */
    public Event(EventId id, EventType type, TenantId tenant, Instant occurredAt, String data) {
        this(id, type, tenant, occurredAt, data, false);
    }

    /** This event, marked test or live as {@code test} says. */
    public Event withTest(boolean test) {
        return test == this.test ? this : new Event(id, type, tenant, occurredAt, data, test);
    }

    /** A new live event of {@code type} for {@code tenant}, now by {@code clock}, with {@code data} as its JSON object. */
    public static Event of(EventType type, TenantId tenant, Clock clock, Map<String, ?> data) {
        return new Event(EventId.generate(), type, tenant, clock.instant(), Json.write(data));
    }
}
