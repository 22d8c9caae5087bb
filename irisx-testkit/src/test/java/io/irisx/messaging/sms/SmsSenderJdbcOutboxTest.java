package io.irisx.messaging.sms;

import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testkit.sms.SmsSenderContractKit;
import org.junit.jupiter.params.Parameter;

/** The SMS sender's kit on the runtime's own outbox, the JDBC outbox, on H2 and on PostgreSQL. */
@OnEachDialect
class SmsSenderJdbcOutboxTest extends SmsSenderContractKit {

    @Parameter
    Database.Dialect dialect;

    @Override
    protected Database newDatabase() {
        return TestDatabases.of(dialect);
    }
}
