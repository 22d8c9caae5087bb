package io.irisx.webhooks.delivery;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

class DeliveryEnginePostgresTest extends DeliveryEngineContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.postgres();
    }
}
