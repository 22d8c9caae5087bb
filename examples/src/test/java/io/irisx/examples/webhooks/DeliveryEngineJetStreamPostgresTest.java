package io.irisx.examples.webhooks;

import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import io.irisx.testkit.webhooks.DeliveryEngineContractKit;

/** The delivery engine's contract in production shape: the JetStream outbox on PostgreSQL. */
class DeliveryEngineJetStreamPostgresTest extends DeliveryEngineContractKit {

    private final String namespace = TestNats.namespace();

    @Override
    protected Database newDatabase() {
        return TestDatabases.postgres();
    }

    @Override
    protected Outbox.Factory outbox() {
        return (database, clock, events) -> TestNats.outbox(TestNats.url(), namespace).build(database, clock, events);
    }

    @Override
    protected void cleanUp() {
        TestNats.deleteStreams(namespace);
    }
}
