package io.irisx.messaging.email;

import io.irisx.core.id.EventId;
import java.time.Instant;
import java.util.Optional;

/**
 * One change in an email's status, as stored; immutable. Its id is the id of the {@code email.*} event emitted for
 * it, so a webhook and a history entry can be matched.
 *
 * @param id the event's id
 * @param status the status the email moved to, or was reported in
 * @param provider the provider concerned, if any
 * @param detail what happened, in words: the provider's id, its error, an in-doubt resend
 * @param occurredAt when
 */
public record StatusChange(EventId id, EmailStatus status, Optional<String> provider, String detail,
        Instant occurredAt) {
}
