package io.irisx.core.id;

import io.irisx.core.internal.IdCodec;
import java.time.Instant;

/**
 * The id of a webhook endpoint: {@code ep_} then 26 characters; immutable, time-sortable, URL-safe, and made without coordination
 * between processes.
 *
 * @param value the id's text
 */
public record EndpointId(String value) implements Comparable<EndpointId> {

    /** The prefix every {@code EndpointId} starts with, before its {@code _}. */
    public static final String PREFIX = "ep";

    /** Checks the value; throws {@link io.irisx.core.IrisxValidationException} when it is not such an id. */
    public EndpointId {
        IdCodec.check(PREFIX, value, "endpointId");
    }

    /** Returns a new, unique id. */
    public static EndpointId generate() {
        return new EndpointId(IdCodec.next(PREFIX));
    }

    /** Parses an id from its text, checked as by the canonical constructor. */
    public static EndpointId parse(String value) {
        return new EndpointId(value);
    }

    /** The time the id was made, to the millisecond. */
    public Instant createdAt() {
        return IdCodec.timestamp(PREFIX, value);
    }

    @Override
    public int compareTo(EndpointId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
