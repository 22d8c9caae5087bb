package io.irisx.messaging.sms;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

class SmsSenderPostgresTest extends SmsSenderContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.postgres();
    }
}
