package io.irisx.webhooks.internal.store;

import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.EndpointId;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventSink} that fans each event out to the webhook endpoints subscribed to it; thread-safe, meant to be
 * created once and shared.
 *
 * <p>For each of the tenant's enabled endpoints of the event's mode (test endpoints for a
 * {@linkplain Event#test() test event}, live endpoints for a live one) that receives the event's type (its filter
 * names the type, or it has none), the sink stores one {@link io.irisx.webhooks.endpoint.WebhookMessage} with the body
 * {@code {"type":…,"timestamp":…,"data":…}} and queues it on the outbox's {@code WEBHOOKS} channel, all in the
 * emitter's transaction: if the emitter rolls back, no message and no outbox record remain.
 */
public final class WebhookEventSink implements EventSink {

    private static final Logger log = LoggerFactory.getLogger(WebhookEventSink.class);

    private final WebhookStore store;
    private final MessagePublisher publisher;

    private WebhookEventSink(WebhookStore store, Outbox outbox) {
        this.store = store;
        this.publisher = new MessagePublisher(outbox);
    }

    /** A sink storing in {@code store} and queueing on {@code outbox}, which must share the store's database. */
    public static WebhookEventSink create(WebhookStore store, Outbox outbox) {
        return new WebhookEventSink(Objects.requireNonNull(store, "store"), Objects.requireNonNull(outbox, "outbox"));
    }

    /** Fans {@code event} out in a transaction of its own. */
    @Override
    public void emit(Event event) {
        Objects.requireNonNull(event, "event");
        publisher.inTransaction(store.database(), (transaction, queue) -> {
            fanOut(transaction, queue, event);
            return null;
        });
    }

    /** Fans {@code event} out through the caller's open {@code transaction}, which it neither commits nor closes. */
    @Override
    public void emit(Connection transaction, Event event) {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(event, "event");
        try {
            fanOut(transaction, publisher.queueIn(transaction), event);
        } catch (SQLException e) {
            throw StoreException.of("fanning out event " + event.id() + " failed", e);
        }
    }

    private void fanOut(Connection transaction, Outbox.Queue queue, Event event) throws SQLException {
        List<EndpointId> endpoints = EndpointRows.receiving(transaction, event.tenant(), event.type().wireName(),
                event.test());
        Instant now = store.clock().instant();
        for (EndpointId endpoint : endpoints) {
            publisher.insertAndPublish(transaction, queue, event.tenant(),
                    MessagePublisher.newMessage(endpoint, event, now));
        }
        log.debug("irisx webhooks: {} event {} {} for tenant {} queued for {} endpoint(s)",
                event.test() ? "test" : "live", event.type(), event.id(), event.tenant(), endpoints.size());
    }

    @Override
    public String toString() {
        return "WebhookEventSink[" + store + "]";
    }
}
