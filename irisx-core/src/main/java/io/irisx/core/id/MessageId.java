package io.irisx.core.id;

import io.irisx.core.internal.IdCodec;
import java.time.Instant;

/**
 * The id of a message (an email, an SMS, a webhook message): {@code msg_} then 26 characters; immutable, time-sortable, URL-safe, and made without coordination
 * between processes.
 *
 * @param value the id's text
 */
public record MessageId(String value) implements Comparable<MessageId> {

    /** The prefix every {@code MessageId} starts with, before its {@code _}. */
    public static final String PREFIX = "msg";

    /** Checks the value; throws {@link io.irisx.core.IrisxValidationException} when it is not such an id. */
    public MessageId {
        IdCodec.check(PREFIX, value, "messageId");
    }

    /** Returns a new, unique id. */
    public static MessageId generate() {
        return new MessageId(IdCodec.next(PREFIX));
    }

    /** Parses an id from its text, checked as by the canonical constructor. */
    public static MessageId parse(String value) {
        return new MessageId(value);
    }

    /** The time the id was made, to the millisecond. */
    public Instant createdAt() {
        return IdCodec.timestamp(PREFIX, value);
    }

    @Override
    public int compareTo(MessageId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
