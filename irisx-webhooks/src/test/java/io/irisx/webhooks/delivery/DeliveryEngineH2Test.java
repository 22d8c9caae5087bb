package io.irisx.webhooks.delivery;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

class DeliveryEngineH2Test extends DeliveryEngineContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
