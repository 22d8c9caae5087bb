package io.irisx.examples.readme;

import io.irisx.core.Irisx;
import io.irisx.core.secret.SealingKeys;
import io.irisx.queue.JetStreamOutbox;
import javax.sql.DataSource;

/** The README's "The JetStream outbox"; stateless and thread-safe. */
public final class JetStreamSection {

    private JetStreamSection() {
    }

    /**
     * The runtime on the host's PostgreSQL with a JetStream outbox whose streams keep three replicas in the cluster
     * at {@code natsUrl}; the caller closes it.
     */
    public static Irisx jetStreamOutbox(DataSource hostDataSource, SealingKeys keys, String natsUrl) {
        // README:begin jetstream-outbox
        Irisx irisx = Irisx.builder()
                .dataSource(hostDataSource)                       // PostgreSQL
                .sealingKeys(keys)
                .outbox(JetStreamOutbox.builder().url(natsUrl).replicas(3).factory())   // "nats://nats-1:4222,…"
                .build();
        // README:end
        return irisx;
    }
}
