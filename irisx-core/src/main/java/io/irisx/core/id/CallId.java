package io.irisx.core.id;

import io.irisx.core.internal.IdCodec;
import java.time.Instant;

/**
 * The id of a voice call: {@code call_} then 26 characters; immutable, time-sortable, URL-safe, and made without coordination
 * between processes.
 *
 * @param value the id's text
 */
public record CallId(String value) implements Comparable<CallId> {

    /** The prefix every {@code CallId} starts with, before its {@code _}. */
    public static final String PREFIX = "call";

    /** Checks the value; throws {@link io.irisx.core.IrisxValidationException} when it is not such an id. */
    public CallId {
        IdCodec.check(PREFIX, value, "callId");
    }

    /** Returns a new, unique id. */
    public static CallId generate() {
        return new CallId(IdCodec.next(PREFIX));
    }

    /** Parses an id from its text, checked as by the canonical constructor. */
    public static CallId parse(String value) {
        return new CallId(value);
    }

    /** The time the id was made, to the millisecond. */
    public Instant createdAt() {
        return IdCodec.timestamp(PREFIX, value);
    }

    @Override
    public int compareTo(CallId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
