package io.irisx.examples.sms;

import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import io.irisx.testkit.sms.SmsSenderContractKit;

/** The SMS sender's contract in production shape: the JetStream outbox on PostgreSQL. */
class SmsSenderJetStreamPostgresTest extends SmsSenderContractKit {

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
