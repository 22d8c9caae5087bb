package io.irisx.examples.webhooks;

import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import io.irisx.webhooks.delivery.DeliveryEngineContract;
import java.time.Clock;

/** The delivery engine's contract in production shape: the JetStream outbox on PostgreSQL. */
class DeliveryEngineJetStreamPostgresTest extends DeliveryEngineContract {

    private final String namespace = TestNats.namespace();

    @Override
    protected Database newDatabase() {
        return TestDatabases.postgres();
    }

    @Override
    protected Outbox newOutbox(Database database, Clock clock) {
        return TestNats.outbox(TestNats.url(), namespace).build(database, clock);
    }

    @Override
    protected void cleanUp() {
        TestNats.deleteStreams(namespace);
    }
}
