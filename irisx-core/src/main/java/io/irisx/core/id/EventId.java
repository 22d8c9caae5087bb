package io.irisx.core.id;

import io.irisx.core.internal.IdCodec;
import java.time.Instant;

/**
 * The id of an event: {@code evt_} then 26 characters; immutable, time-sortable, URL-safe, and made without coordination
 * between processes.
 *
 * @param value the id's text
 */
public record EventId(String value) implements Comparable<EventId> {

    /** The prefix every {@code EventId} starts with, before its {@code _}. */
    public static final String PREFIX = "evt";

    /** Checks the value; throws {@link io.irisx.core.IrisxValidationException} when it is not such an id. */
    public EventId {
        IdCodec.check(PREFIX, value, "eventId");
    }

    /** Returns a new, unique id. */
    public static EventId generate() {
        return new EventId(IdCodec.next(PREFIX));
    }

    /** Parses an id from its text, checked as by the canonical constructor. */
    public static EventId parse(String value) {
        return new EventId(value);
    }

    /** The time the id was made, to the millisecond. */
    public Instant createdAt() {
        return IdCodec.timestamp(PREFIX, value);
    }

    @Override
    public int compareTo(EventId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
