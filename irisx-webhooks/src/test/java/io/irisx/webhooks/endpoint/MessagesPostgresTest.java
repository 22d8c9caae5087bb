package io.irisx.webhooks.endpoint;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

/** The messages contract on PostgreSQL. */
class MessagesPostgresTest extends MessagesContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.postgres();
    }
}
