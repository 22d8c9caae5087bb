package io.irisx.queue;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

/** The outbox contract for the JetStream outbox, with its table on PostgreSQL. */
class JetStreamOutboxPostgresTest extends JetStreamOutboxContract {

    @Override
    protected Database freshDatabase() {
        return TestDatabases.postgres();
    }
}
