package io.irisx.core;

import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The runtime's event sink: it hands each event to the host's sinks and to those the installed modules added, in
 * order, in the emitter's transaction. Sinks are added only while the runtime is built. Thread-safe.
 */
final class RuntimeEvents implements EventSink {

    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private volatile boolean sealed;

    RuntimeEvents(List<EventSink> hostSinks) {
        sinks.addAll(hostSinks);
    }

    void add(EventSink sink) {
        if (sealed) {
            throw new IllegalStateException("event sinks are added only while the runtime is built");
        }
        sinks.add(Objects.requireNonNull(sink, "sink"));
    }

    void seal() {
        sealed = true;
    }

    @Override
    public void emit(Event event) {
        Objects.requireNonNull(event, "event");
        sinks.forEach(sink -> sink.emit(event));
    }

    @Override
    public void emit(Connection transaction, Event event) {
        Objects.requireNonNull(event, "event");
        sinks.forEach(sink -> sink.emit(transaction, event));
    }

    @Override
    public String toString() {
        return sinks.toString();
    }
}
