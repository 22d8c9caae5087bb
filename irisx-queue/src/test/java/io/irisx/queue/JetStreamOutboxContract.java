package io.irisx.queue;

import io.irisx.core.event.EventSink;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.OutboxContractKit;
import io.irisx.core.store.Database;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

/**
 * The {@link OutboxContractKit} for {@link JetStreamOutbox} on the test NATS server, each test in a namespace of its
 * own. Waiting retries are looked at again every 20 ms, so the test clock, not the broker's, decides when they are
 * due.
 */
abstract class JetStreamOutboxContract extends OutboxContractKit {

    private String namespace;

    /** A fresh database for one test, migrated for irisx-core. */
    protected abstract Database freshDatabase();

    @Override
    protected final Database newDatabase() {
        namespace = TestNats.namespace();
        return freshDatabase();
    }

    @Override
    protected Outbox newOutbox(Database database, Clock clock, EventSink events) {
        return TestNats.outbox(TestNats.url(), namespace).build(database, clock, events);
    }

    @AfterEach
    final void deleteStreams() {
        if (outbox != null) {
            outbox.close();
        }
        TestNats.deleteStreams(TestNats.url(), namespace);
    }
}
