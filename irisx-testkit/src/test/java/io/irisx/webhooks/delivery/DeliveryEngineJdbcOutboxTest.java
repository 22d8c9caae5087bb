package io.irisx.webhooks.delivery;

import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testkit.webhooks.DeliveryEngineContractKit;
import org.junit.jupiter.params.Parameter;

/** The webhook delivery engine's kit on the runtime's own outbox, the JDBC outbox, on H2 and on PostgreSQL. */
@OnEachDialect
class DeliveryEngineJdbcOutboxTest extends DeliveryEngineContractKit {

    @Parameter
    Database.Dialect dialect;

    @Override
    protected Database newDatabase() {
        return TestDatabases.of(dialect);
    }
}
