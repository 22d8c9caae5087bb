package io.irisx.messaging.email;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

class EmailSenderPostgresTest extends EmailSenderContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.postgres();
    }
}
