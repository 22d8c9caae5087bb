package io.irisx.messaging.email;

import io.irisx.core.event.EventType;
import io.irisx.core.id.EventId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of an email's history, as stored: a change of its status, or a report that leaves the status where it
 * is (an open, a click, a second recipient's delivery); immutable. Its id is the id of the {@code email.*} event
 * emitted for it, so a webhook and a history entry can be matched.
 *
 * @param id the event's id
 * @param status the email's status after it
 * @param event the event emitted for it
 * @param provider the provider concerned, if any
 * @param recipient the recipient it concerns, if one
 * @param detail what happened, in words: the provider's id, its error, an in-doubt resend, a bounce's diagnostic
 * @param occurredAt when
 */
public record StatusChange(EventId id, EmailStatus status, EventType event, Optional<String> provider,
        Optional<String> recipient, String detail, Instant occurredAt) {

    /** Checks that nothing is missing. */
    public StatusChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** A change of the status to {@code status}, emitted as that status's event, concerning no one recipient. */
    public StatusChange(EventId id, EmailStatus status, Optional<String> provider, String detail, Instant occurredAt) {
        this(id, status, status.event(), provider, Optional.empty(), detail, occurredAt);
    }
}
