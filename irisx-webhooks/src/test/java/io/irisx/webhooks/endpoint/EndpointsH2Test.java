package io.irisx.webhooks.endpoint;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

/** The endpoint contract on H2 in PostgreSQL mode. */
class EndpointsH2Test extends EndpointsContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
