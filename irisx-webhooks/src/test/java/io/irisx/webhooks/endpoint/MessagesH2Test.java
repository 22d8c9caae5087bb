package io.irisx.webhooks.endpoint;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

/** The messages contract on H2 in PostgreSQL mode. */
class MessagesH2Test extends MessagesContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
