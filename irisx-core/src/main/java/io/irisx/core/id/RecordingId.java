package io.irisx.core.id;

import io.irisx.core.internal.IdCodec;
import java.time.Instant;

/**
 * The id of a call recording: {@code rec_} then 26 characters; immutable, time-sortable, URL-safe, and made without
 * coordination between processes.
 *
 * @param value the id's text
 */
public record RecordingId(String value) implements Comparable<RecordingId> {

    /** The prefix every {@code RecordingId} starts with, before its {@code _}. */
    public static final String PREFIX = "rec";

    /** Checks the value; throws {@link io.irisx.core.IrisxValidationException} when it is not such an id. */
    public RecordingId {
        IdCodec.check(PREFIX, value, "recordingId");
    }

    /** Returns a new, unique id. */
    public static RecordingId generate() {
        return new RecordingId(IdCodec.next(PREFIX));
    }

    /** Parses an id from its text, checked as by the canonical constructor. */
    public static RecordingId parse(String value) {
        return new RecordingId(value);
    }

    /** The time the id was made, to the millisecond. */
    public Instant createdAt() {
        return IdCodec.timestamp(PREFIX, value);
    }

    @Override
    public int compareTo(RecordingId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
