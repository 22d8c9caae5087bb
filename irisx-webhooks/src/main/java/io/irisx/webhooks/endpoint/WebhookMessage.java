package io.irisx.webhooks.endpoint;

import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event on its way to one endpoint; immutable.
 *
 * @param id the message's id, sent as the {@code webhook-id} header and the same on every retry
 * @param endpointId the endpoint it goes to
 * @param eventId the event it carries
 * @param eventType the event's type name
 * @param payload the exact body posted: {@code {"type":…,"timestamp":…,"data":…}}
 * @param status where it stands
 * @param attempts how many delivery attempts were made
 * @param nextAttemptAt when the next attempt is due, while it is {@link MessageStatus#PENDING}
 * @param lastAttemptAt when the last attempt was made, once one was
 * @param createdAt when it was created
 * @param publications how many times it was queued for delivery: 1, then one more at each retry or recovery asked for
 */
public record WebhookMessage(MessageId id, EndpointId endpointId, EventId eventId, String eventType, String payload,
        MessageStatus status, int attempts, Optional<Instant> nextAttemptAt, Optional<Instant> lastAttemptAt,
        Instant createdAt, int publications) {

    /** Checks that no field is null. */
    public WebhookMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Names the message without its payload, which may hold personal data. */
    @Override
    public String toString() {
        return "WebhookMessage[" + id + " " + eventType + " to " + endpointId + " " + status + " attempts=" + attempts
                + "]";
    }
}
