package io.irisx.messaging.sms;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

class SmsClientH2Test extends SmsClientContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
