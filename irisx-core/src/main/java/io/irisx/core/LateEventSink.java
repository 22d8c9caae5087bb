package io.irisx.core;

import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import java.sql.Connection;
import java.util.Objects;

/** The runtime's event sink, set once the runtime exists, as the host's sink may need it. Thread-safe. */
final class LateEventSink implements EventSink {

    private volatile EventSink target;

    void set(EventSink target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    @Override
    public void emit(Event event) {
        target().emit(event);
    }

    @Override
    public void emit(Connection transaction, Event event) {
        target().emit(transaction, event);
    }

    private EventSink target() {
        EventSink current = target;
        if (current == null) {
            throw new IllegalStateException("the runtime is still starting: nothing may emit events before it is built");
        }
        return current;
    }

    @Override
    public String toString() {
        return String.valueOf(target);
    }
}
