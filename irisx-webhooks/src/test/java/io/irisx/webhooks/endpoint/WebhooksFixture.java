package io.irisx.webhooks.endpoint;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.secret.SecretSealer;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.MutableClock;
import io.irisx.webhooks.internal.store.WebhookEventSink;
import io.irisx.webhooks.internal.store.WebhookStore;
import io.irisx.webhooks.ssrf.HostResolver;
import io.irisx.webhooks.ssrf.SsrfGuard;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;

/**
 * A fresh database per test with the webhook store, a {@link JdbcOutbox}, two tenants' endpoints and the event sink,
 * on a clock that moves only when told. The database is of the dialect the subclass is run for: each subclass is
 * annotated {@link OnEachDialect}.
 */
abstract class WebhooksFixture {

    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    static final TenantId TENANT_A = TenantId.of("acme");
    static final TenantId TENANT_B = TenantId.of("globex");
    static final String PUBLIC_URL = "https://hooks.example.com/irisx";

    /** The test's DNS: one public name, one private. */
    static final HostResolver DNS = host -> {
        Map<String, String> answers = Map.of("hooks.example.com", "93.184.216.34", "other.example.com",
                "93.184.216.35", "internal.example.com", "10.1.2.3");
        String address = answers.get(host);
        if (address == null) {
            throw new UnknownHostException(host + ": no such name in this test");
        }
        return List.of(InetAddress.getByName(address));
    };

    /** The default policy, plus loopback, as a host testing against a local receiver would set it. */
    static final SsrfGuard LOOPBACK_ALLOWED = SsrfGuard.create(SsrfPolicy.builder().allow("127.0.0.0/8").build(), DNS);

    protected final MutableClock clock = MutableClock.at(START);
    protected final SecretSealer sealer = SecretSealer.of(SealingKeys.generate("k1"));
    protected Database database;
    protected JdbcOutbox outbox;
    protected WebhookStore store;
    protected WebhookEndpoints endpoints;
    protected WebhookEndpoints endpointsB;
    protected WebhookEventSink sink;

    /** The dialect this run's databases are of. */
    @Parameter
    protected Database.Dialect dialect;

    @BeforeEach
    final void openFixture() {
        database = TestDatabases.of(dialect);
        outbox = JdbcOutbox.create(database, clock);
        store = WebhookStore.create(database, sealer, clock);
        endpoints = WebhookEndpoints.forTenant(TENANT_A, store, outbox, LOOPBACK_ALLOWED);
        endpointsB = WebhookEndpoints.forTenant(TENANT_B, store, outbox, LOOPBACK_ALLOWED);
        sink = WebhookEventSink.create(store, outbox);
    }

    @AfterEach
    final void closeFixture() {
        if (outbox != null) {
            outbox.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** One record of the outbox table. */
    record OutboxRow(MessageId id, TenantId tenant, String channel, String idempotencyKey, String payload) {
    }

    /** Every record of the outbox table, in the order queued. */
    List<OutboxRow> outboxRows() {
        return database.withConnection(connection -> {
            List<OutboxRow> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT id, tenant_id, channel,"
                    + " idempotency_key, payload FROM irisx_outbox ORDER BY created_at, id");
                    ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(MessageId.parse(rs.getString(1)), TenantId.of(rs.getString(2)),
                            rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            return rows;
        });
    }

    /** How many rows {@code table} holds, of every tenant. */
    int count(String table) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                    ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Runs {@code work} in a transaction and rolls it back. */
    void inRolledBackTransaction(Database.TransactionalWork<Void> work) throws Exception {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    CreatedEndpoint createEndpoint(String... eventTypes) {
        return endpoints.create(EndpointSpec.builder(PUBLIC_URL).eventTypes(eventTypes).build());
    }
}
