package io.irisx.webhooks.internal.store;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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

    /**
     * Runs {@code work} in a transaction of {@code database} (the outbox's): what it queues goes to the workers once
     * it commits ({@link Outbox#inTransaction}).
     */
    public <T> T inTransaction(Database database, Outbox.Work<T> work) {
        return outbox.inTransaction(database, work);
    }

    /** Queues through the caller's open {@code transaction}, which the caller commits: the workers' polls find it. */
    public Outbox.Queue queueIn(Connection transaction) {
        return envelope -> outbox.publish(transaction, envelope);
    }

    /** Inserts {@code message} and queues its first publication through {@code queue}. */
    public void insertAndPublish(Connection transaction, Outbox.Queue queue, TenantId tenant, WebhookMessage message)
            throws SQLException {
        insertAndPublish(transaction, queue, tenant, message, Optional.empty());
    }

    /**
     * Inserts {@code message} under {@code idempotencyKey}, if any, and queues its first publication through {@code
     * queue}; when the endpoint already has a message with that key, inserts and queues nothing.
     *
     * @return {@code message}, or the endpoint's earlier message with the key
     */
    public WebhookMessage insertAndPublish(Connection transaction, Outbox.Queue queue, TenantId tenant,
            WebhookMessage message, Optional<String> idempotencyKey) throws SQLException {
        if (!MessageRows.insert(transaction, tenant, message, idempotencyKey)) {
            if (idempotencyKey.isEmpty()) {
                throw new IllegalStateException("message " + message.id() + " was not stored: its id is taken");
            }
            return MessageRows.findByKey(transaction, tenant, message.endpointId(), idempotencyKey.get())
                    .orElseThrow(() -> new IllegalStateException("message " + message.id() + " was neither stored"
                            + " nor found under its idempotency key"));
        }
        publish(queue, tenant, message.id(), message.id().value());
        return message;
    }

    /**
     * Makes the tenant's message {@code id} PENDING and due now, and queues it again under its next retry key through
     * {@code queue}.
     *
     * @return false when the tenant has no such message
     */
    public boolean republish(Connection transaction, Outbox.Queue queue, TenantId tenant, MessageId id, Instant now)
            throws SQLException {
        Optional<Integer> republication = MessageRows.republish(transaction, tenant, id, now);
        if (republication.isEmpty()) {
            return false;
        }
        publish(queue, tenant, id, id.value() + ".retry-" + republication.get());
        return true;
    }

    private static void publish(Outbox.Queue queue, TenantId tenant, MessageId id, String idempotencyKey)
            throws SQLException {
        queue.publish(new Envelope(MessageId.generate(), tenant, Channel.WEBHOOKS, idempotencyKey, id.value()));
    }
}
