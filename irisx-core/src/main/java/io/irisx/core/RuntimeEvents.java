package io.irisx.core;

import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The runtime's event sink: it hands each event to the host's sinks and to those the installed modules added, in
 * order, in the emitter's transaction. Sinks are added only while the runtime is built. Thread-safe.
 */
final class RuntimeEvents implements EventSink {

    private final List<EventSink> sinks = new ArrayList<>();
    private volatile EventSink all;
    private volatile boolean sealed;

    RuntimeEvents(List<EventSink> hostSinks) {
        sinks.addAll(hostSinks);
        all = EventSink.allOf(sinks);
    }

    synchronized void add(EventSink sink) {
        if (sealed) {
            throw new IllegalStateException("event sinks are added only while the runtime is built");
        }
        sinks.add(Objects.requireNonNull(sink, "sink"));
        all = EventSink.allOf(sinks);
    }

    void seal() {
        sealed = true;
    }

    @Override
    public void emit(Event event) {
        all.emit(event);
    }

    @Override
    public void emit(Connection transaction, Event event) {
        all.emit(transaction, event);
    }

    @Override
    public synchronized String toString() {
        return sinks.toString();
    }
}
