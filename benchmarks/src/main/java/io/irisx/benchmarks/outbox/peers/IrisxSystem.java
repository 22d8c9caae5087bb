package io.irisx.benchmarks.outbox.peers;

import io.irisx.benchmarks.Programs;
import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * IRISX measured among its peers: {@link JdbcOutbox} on PostgreSQL, or the JetStream outbox (its table on PostgreSQL,
 * relayed to NATS JetStream every 100 ms, and sooner for what this process publishes). Its workers take the EMAIL
 * channel with 16 handlers, claiming 64 records at most at a time and polling every 100 ms when idle. Each reset
 * opens a fresh outbox (on JetStream, with streams under a namespace of its own). Not thread-safe but for {@link
 * #enqueue}.
 */
final class IrisxSystem implements JobSystem {

    private static final TenantId TENANT = TenantId.of("bench");
    private static final Clock CLOCK = Clock.systemUTC();
    private static final ConsumeOptions OPTIONS = ConsumeOptions.builder().concurrency(HANDLER_THREADS).batchSize(64)
            .pollInterval(Duration.ofMillis(100)).build();

    private final String name;
    private final Database database;
    private final String natsUrl;
    private final List<String> namespaces = new ArrayList<>();
    private Outbox outbox;
    private Subscription subscription;

    private IrisxSystem(String name, Database database, String natsUrl) {
        this.name = name;
        this.database = database;
        this.natsUrl = natsUrl;
        database.migrate("core");
    }

    /** JdbcOutbox on {@code database}. */
    static IrisxSystem jdbc(Database database) {
        return new IrisxSystem("IRISX JdbcOutbox", database, null);
    }

    /** The JetStream outbox on {@code database} and the NATS server at {@code natsUrl}. */
    static IrisxSystem jetStream(Database database, String natsUrl) {
        return new IrisxSystem("IRISX JetStream", database, natsUrl);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void reset() {
        closeOutbox();
        Programs.truncate(database, "irisx_outbox", "irisx_outbox_unpublished");
        if (natsUrl == null) {
            outbox = JdbcOutbox.create(database, CLOCK);
        } else {
            String namespace = "peers" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            namespaces.add(namespace);
            outbox = Programs.jetStream(natsUrl, namespace, Duration.ofMillis(100)).build(database, CLOCK);
        }
    }

    @Override
    public void enqueue(String payload) {
        outbox.publish(Envelope.of(TENANT, Channel.EMAIL, payload));
    }

    @Override
    public void startWorkers() {
        subscription = outbox.consume(Channel.EMAIL, delivery -> {
            Jobs.handleCurrent(delivery.envelope().payload());
            return Outcome.done();
        }, OPTIONS);
    }

    @Override
    public void stopWorkers() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    private void closeOutbox() {
        stopWorkers();
        if (outbox != null) {
            outbox.close();
            outbox = null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            closeOutbox();
        } finally {
            database.close();
            for (String namespace : namespaces) {
                Programs.deleteStreams(natsUrl, namespace);
            }
        }
    }
}
