package io.irisx.messaging.email;

import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testkit.email.EmailSenderContractKit;
import org.junit.jupiter.params.Parameter;

/** The email sender's kit on the runtime's own outbox, the JDBC outbox, on H2 and on PostgreSQL. */
@OnEachDialect
class EmailSenderJdbcOutboxTest extends EmailSenderContractKit {

    @Parameter
    Database.Dialect dialect;

    @Override
    protected Database newDatabase() {
        return TestDatabases.of(dialect);
    }
}
