package io.irisx.messaging.sms;

import io.irisx.core.id.EventId;
import java.time.Instant;
import java.util.Optional;

/**
 * One change in a message's status, or one report of its provider's, as stored; immutable. Its id is the id of the
 * {@code sms.*} event emitted for it when the status changed.
 *
 * @param id the history entry's (and event's) id
 * @param status the message's status after it
 * @param providerStatus the provider's own status, if it reported one
 * @param errorCode the provider's error code, if it reported one
 * @param detail what happened, in words
 * @param occurredAt when
 */
public record SmsStatusChange(EventId id, SmsStatus status, Optional<String> providerStatus,
        Optional<String> errorCode, String detail, Instant occurredAt) {
}
