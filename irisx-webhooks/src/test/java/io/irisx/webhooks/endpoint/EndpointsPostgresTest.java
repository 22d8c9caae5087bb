package io.irisx.webhooks.endpoint;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

/** The endpoint contract on PostgreSQL. */
class EndpointsPostgresTest extends EndpointsContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.postgres();
    }
}
