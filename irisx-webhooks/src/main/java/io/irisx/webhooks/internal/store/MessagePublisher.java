package io.irisx.webhooks.internal.store;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores webhook messages and queues them on the outbox's {@code WEBHOOKS} channel, in the caller's transaction.
 *
 * <p>Every publication is an envelope with a fresh id whose payload is the webhook message id. Its idempotency key is
 * the message id at the first publication and {@code <message id>.retry-<n>} at the n-th re-publication, so each
 * is queued once however often a caller retries its transaction.
 */
public final class MessagePublisher {

    private final Outbox outbox;

    public MessagePublisher(Outbox outbox) {
        this.outbox = outbox;
    }

    /** A new PENDING message carrying {@code event} to {@code endpoint}, due now. */
    public static WebhookMessage newMessage(EndpointId endpoint, Event event, Instant now) {
        return new WebhookMessage(MessageId.generate(), endpoint, event.id(), event.type().wireName(), body(event),
                MessageStatus.PENDING, 0, Optional.of(now), Optional.empty(), now, 1);
    }

    /** The body posted for {@code event}: its type, its time in ISO-8601, and its data as it is. */
    static String body(Event event) {
        return "{\"type\":" + JsonColumns.quoted(event.type().wireName())
                + ",\"timestamp\":" + JsonColumns.quoted(event.occurredAt().toString())
                + ",\"data\":" + event.data() + "}";
    }

    /** Tells the outbox that the transaction which {@code queued} these envelopes has committed: they go at once. */
    public void committed(List<Envelope> queued) {
        if (!queued.isEmpty()) {
            outbox.committed(queued);
        }
    }

    /** Inserts {@code message} and queues its first publication, adding its envelope to {@code queued}. */
    public void insertAndPublish(Connection transaction, TenantId tenant, WebhookMessage message, List<Envelope> queued)
            throws SQLException {
        insertAndPublish(transaction, tenant, message, Optional.empty(), queued);
    }

    /**
     * Inserts {@code message} under {@code idempotencyKey}, if any, and queues its first publication, adding its
     * envelope to {@code queued}; when the endpoint already has a message with that key, inserts and queues nothing.
     *
     * @return {@code message}, or the endpoint's earlier message with the key
     */
    public WebhookMessage insertAndPublish(Connection transaction, TenantId tenant, WebhookMessage message,
            Optional<String> idempotencyKey, List<Envelope> queued) throws SQLException {
        if (!MessageRows.insert(transaction, tenant, message, idempotencyKey)) {
            if (idempotencyKey.isEmpty()) {
                throw new IllegalStateException("message " + message.id() + " was not stored: its id is taken");
            }
            return MessageRows.findByKey(transaction, tenant, message.endpointId(), idempotencyKey.get())
                    .orElseThrow(() -> new IllegalStateException("message " + message.id() + " was neither stored"
                            + " nor found under its idempotency key"));
        }
        queued.add(publish(transaction, tenant, message.id(), message.id().value()));
        return message;
    }

    /**
     * Makes the tenant's message {@code id} PENDING and due now, and queues it again under its next retry key,
     * adding the envelope to {@code queued}.
     *
     * @return false when the tenant has no such message
     */
    public boolean republish(Connection transaction, TenantId tenant, MessageId id, Instant now, List<Envelope> queued)
            throws SQLException {
        Optional<Integer> republication = MessageRows.republish(transaction, tenant, id, now);
        if (republication.isEmpty()) {
            return false;
        }
        queued.add(publish(transaction, tenant, id, id.value() + ".retry-" + republication.get()));
        return true;
    }

    private Envelope publish(Connection transaction, TenantId tenant, MessageId id, String idempotencyKey) {
        Envelope envelope = new Envelope(MessageId.generate(), tenant, Channel.WEBHOOKS, idempotencyKey, id.value());
        outbox.publish(transaction, envelope);
        return envelope;
    }
}
