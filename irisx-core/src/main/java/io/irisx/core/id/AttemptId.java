package io.irisx.core.id;

import io.irisx.core.internal.IdCodec;
import java.time.Instant;

/**
 * The id of one attempt to deliver a webhook message: {@code att_} then 26 characters; immutable, time-sortable, URL-safe, and made without coordination
 * between processes.
 *
 * @param value the id's text
 */
public record AttemptId(String value) implements Comparable<AttemptId> {

    /** The prefix every {@code AttemptId} starts with, before its {@code _}. */
    public static final String PREFIX = "att";

    /** Checks the value; throws {@link io.irisx.core.IrisxValidationException} when it is not such an id. */
    public AttemptId {
        IdCodec.check(PREFIX, value, "attemptId");
    }

    /** Returns a new, unique id. */
    public static AttemptId generate() {
        return new AttemptId(IdCodec.next(PREFIX));
    }

    /** Parses an id from its text, checked as by the canonical constructor. */
    public static AttemptId parse(String value) {
        return new AttemptId(value);
    }

    /** The time the id was made, to the millisecond. */
    public Instant createdAt() {
        return IdCodec.timestamp(PREFIX, value);
    }

    @Override
    public int compareTo(AttemptId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
