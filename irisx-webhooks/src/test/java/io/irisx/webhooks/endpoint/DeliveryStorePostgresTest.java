package io.irisx.webhooks.endpoint;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

/** The delivery store contract on PostgreSQL. */
class DeliveryStorePostgresTest extends DeliveryStoreContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.postgres();
    }
}
