package io.irisx.webhooks.endpoint;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

/** The delivery store contract on H2 in PostgreSQL mode. */
class DeliveryStoreH2Test extends DeliveryStoreContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
