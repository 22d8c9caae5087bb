package io.irisx.messaging.sms;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

class SmsSenderH2Test extends SmsSenderContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
