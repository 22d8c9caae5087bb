package io.irisx.webhooks.endpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * An event type endpoints can subscribe to, as listed in the event catalogue; immutable.
 *
 * @param name the name on the wire and in filters, e.g. {@code email.delivered}
 * @param description when the event is emitted
 * @param createdAt when the type joined the catalogue
 */
public record EventTypeInfo(String name, String description, Instant createdAt) {

    /** Checks that no field is null. */
    public EventTypeInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
