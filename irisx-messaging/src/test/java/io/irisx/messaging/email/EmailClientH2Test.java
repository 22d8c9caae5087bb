package io.irisx.messaging.email;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

class EmailClientH2Test extends EmailClientContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
