package io.irisx.core.event;

import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where channels send the events they emit (SPI); implementations must be thread-safe. The webhooks module's sink
 * turns each event into one signed delivery per subscribed endpoint.
 *
 * <p>A channel emits an event in the same database transaction as the status change it reports, through
 * {@link #emit(Connection, Event)}: a sink that stores (the webhooks sink writes outbox records) uses that
 * transaction, so the status and its event commit together or not at all.
 */
@FunctionalInterface
public interface EventSink {

    /** Takes an event outside any transaction. */
    void emit(Event event);

    /**
     * Takes an event inside the caller's open transaction. The default forwards to {@link #emit(Event)}: sinks that
     * store the event override it to write through {@code transaction}, which they must neither commit nor close.
     */
    default void emit(Connection transaction, Event event) {
        emit(event);
    }

    /** A sink that logs each event at DEBUG and keeps nothing. */
    static EventSink logging() {
        Logger log = LoggerFactory.getLogger(EventSink.class);
        return event -> log.debug("event {} {} tenant={}", event.type(), event.id(), event.tenant());
    }

    /** A sink that hands each event to every one of {@code sinks}, in order. */
    static EventSink allOf(List<EventSink> sinks) {
        List<EventSink> copy = List.copyOf(sinks);
        return new EventSink() {
            @Override
            public void emit(Event event) {
                Objects.requireNonNull(event, "event");
                copy.forEach(sink -> sink.emit(event));
            }

            @Override
            public void emit(Connection transaction, Event event) {
                Objects.requireNonNull(event, "event");
                copy.forEach(sink -> sink.emit(transaction, event));
            }
        };
    }
}
