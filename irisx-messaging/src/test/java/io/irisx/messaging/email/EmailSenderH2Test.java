package io.irisx.messaging.email;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

class EmailSenderH2Test extends EmailSenderContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
