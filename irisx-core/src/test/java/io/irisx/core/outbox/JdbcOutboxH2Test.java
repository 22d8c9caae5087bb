package io.irisx.core.outbox;

import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;

/** The outbox contract, and the JDBC outbox's own, on H2 in PostgreSQL mode. */
class JdbcOutboxH2Test extends JdbcOutboxContract {

    @Override
    protected Database newDatabase() {
        return TestDatabases.h2();
    }
}
