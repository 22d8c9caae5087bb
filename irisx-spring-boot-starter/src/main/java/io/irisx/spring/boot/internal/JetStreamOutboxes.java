package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;

import io.irisx.core.outbox.Outbox;
import io.irisx.queue.JetStreamOutbox;
import io.irisx.spring.boot.IrisxProperties;

/** Builds the JetStream outbox's factory from {@code irisx.outbox.jetstream.*}. Stateless and thread-safe. */
public final class JetStreamOutboxes {

    private JetStreamOutboxes() {
    }

    /** The factory these properties describe; it connects to NATS when the runtime is built. */
    public static Outbox.Factory factory(IrisxProperties.Jetstream jetstream) {
        JetStreamOutbox.Builder builder = JetStreamOutbox.builder();
        apply("irisx.outbox.jetstream.url", () -> builder.url(jetstream.getUrl()));
        apply("irisx.outbox.jetstream.replicas", () -> builder.replicas(jetstream.getReplicas()));
        apply("irisx.outbox.jetstream.namespace", () -> builder.namespace(jetstream.getNamespace()));
        return builder.factory();
    }
}
