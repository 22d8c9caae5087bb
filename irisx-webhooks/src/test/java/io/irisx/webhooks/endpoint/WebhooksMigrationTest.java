package io.irisx.webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.TenantId;
import io.irisx.core.id.AttemptId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.secret.SecretSealer;
import io.irisx.core.store.Database;
import io.irisx.core.testing.SchemaObjects;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.testing.TestRows;
import io.irisx.testing.MutableClock;
import io.irisx.webhooks.internal.store.WebhookStore;
import io.irisx.webhooks.signing.WebhookSecret;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * irisx-webhooks' move to {@code irisx_}-prefixed tables, on H2 in PostgreSQL mode and on PostgreSQL: a database
 * holding endpoints, messages and attempts under the old names keeps every row under the new ones, and its
 * endpoints, created before endpoints had a mode, are live.
 */
class WebhooksMigrationTest {

    private static final List<String> OLD_TABLES = List.of("webhook_event_types", "webhook_endpoints",
            "webhook_messages", "webhook_attempts");
    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private final MutableClock clock = MutableClock.at(NOW);
    private final SecretSealer sealer = SecretSealer.of(SealingKeys.generate("k1"));
    private final WebhookSecret secret = WebhookSecret.generate();
    private final EndpointId endpoint = EndpointId.generate();
    private final MessageId message = MessageId.generate();
    private final AttemptId attempt = AttemptId.generate();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void upgradingADatabaseWithTheOldTablesKeepsEveryRowUnderThePrefixedNames(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            migrateToBeforeThePrefix(database);
            database.withConnection(connection -> {
                insertOldRows(connection);
                return null;
            });

            // V2 (the prefix) and every migration after it: V3 endpoint mode, V4 test-event keys, V5 attempt requests,
            // and on PostgreSQL V6, the keys' partial index.
            assertThat(database.migrate("webhooks"))
                    .isEqualTo(database.dialect() == Database.Dialect.POSTGRESQL ? 5 : 4);

            assertThat(TestRows.column(database, "SELECT name FROM irisx_webhook_event_types")).containsExactly("host.legacy");
            assertThat(TestRows.column(database, "SELECT id FROM irisx_webhook_endpoints")).containsExactly(endpoint.value());
            assertThat(TestRows.column(database, "SELECT id FROM irisx_webhook_messages")).containsExactly(message.value());
            assertThat(TestRows.column(database, "SELECT id FROM irisx_webhook_attempts")).containsExactly(attempt.value());

            SchemaObjects schema = SchemaObjects.of(database);
            assertThat(schema.tables()).doesNotContainAnyElementsOf(OLD_TABLES);
            assertThat(schema.all()).isNotEmpty().allMatch(object -> object.startsWith("irisx_"), "starts with irisx_");
            assertThat(database.migrate("webhooks")).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void theUpgradedTablesServeTheStoreWithTheEndpointsSecret(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            migrateToBeforeThePrefix(database);
            database.withConnection(connection -> {
                insertOldRows(connection);
                return null;
            });

            WebhookStore store = WebhookStore.create(database, sealer, clock);

            DeliveryTarget target = store.loadForDelivery(ACME, message).orElseThrow();
            assertThat(target.endpoint().url()).isEqualTo("https://hooks.example.com/irisx");
            assertThat(target.endpoint().testMode()).as("an endpoint from before modes is live").isFalse();
            assertThat(target.secrets()).containsExactly(secret);
            assertThat(target.message().status()).isEqualTo(MessageStatus.FAILED);
            assertThat(store.eventTypes()).extracting(EventTypeInfo::name).contains("host.legacy", "email.sent");
        }
    }

    /** The webhook schema as a database of the version before the prefix holds it: V1 applied. */
    private static void migrateToBeforeThePrefix(Database database) {
        TestDatabases.migrateUpTo(database, "webhooks", "1");
        assertThat(SchemaObjects.of(database).tables()).containsAll(OLD_TABLES);
    }

    private void insertOldRows(Connection connection) throws SQLException {
        TestRows.insert(connection, "webhook_event_types", "name, description, created_at",
                "host.legacy", "A type the catalogue no longer has", NOW.toEpochMilli());
        TestRows.insert(connection, "webhook_endpoints", "tenant_id, id, url, description, labels, headers, secret, disabled,"
                + " failing_since, failure_count, created_at, updated_at",
                "acme", endpoint.value(), "https://hooks.example.com/irisx", "orders", "[]", "{}",
                // Sealed for the context stored secrets have always been sealed for.
                sealer.seal(secret.reveal(), "tenant:acme/webhook-endpoint:" + endpoint.value() + "/secret"), false, NOW.toEpochMilli(), 1, NOW.toEpochMilli(),
                NOW.toEpochMilli());
        TestRows.insert(connection, "webhook_messages", "tenant_id, id, endpoint_id, event_id, event_type, payload, status,"
                + " attempts, publications, last_attempt_at, created_at",
                "acme", message.value(), endpoint.value(), EventId.generate().value(), "email.sent",
                "{\"type\":\"email.sent\",\"timestamp\":\"2025-03-01T12:00:00Z\",\"data\":{}}", "FAILED", 1, 1,
                NOW.toEpochMilli(), NOW.toEpochMilli());
        TestRows.insert(connection, "webhook_attempts", "tenant_id, id, message_id, endpoint_id, attempted_at, status_code,"
                + " latency_ms, response_body, outcome",
                "acme", attempt.value(), message.value(), endpoint.value(), NOW.toEpochMilli(), 500, 42L, "oops",
                "HTTP_ERROR");
    }
}
