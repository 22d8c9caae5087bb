package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.TenantId;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.MessageId;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.store.Database;
import io.irisx.core.store.StoreException;
import io.irisx.core.testing.SchemaObjects;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.testing.TestRows;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.email.internal.EmailStore;
import io.irisx.messaging.sms.InboundSms;
import io.irisx.messaging.sms.internal.SmsStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * irisx-messaging's move to {@code irisx_}-prefixed tables, on H2 in PostgreSQL mode and on PostgreSQL: a database
 * holding emails and SMS under the old names keeps every row under the new ones.
 */
class MessagingMigrationTest {

    private static final List<String> OLD_TABLES = List.of("email_messages", "email_attachments",
            "email_status_history", "email_templates", "sms_messages", "sms_status_history", "sms_inbound",
            "sms_opt_outs");
    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private final String email = MessageId.generate().value();
    private final String sms = MessageId.generate().value();
    private final String inbound = MessageId.generate().value();

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void upgradingADatabaseWithTheOldTablesKeepsEveryRowUnderThePrefixedNames(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            migrateToBeforeThePrefix(database);
            database.withConnection(connection -> {
                insertOldRows(connection);
                return null;
            });

            // V3 and V4 rename the tables; later versions follow.
            assertThat(database.migrate("messaging")).isGreaterThanOrEqualTo(2);

            assertThat(TestRows.column(database, "SELECT id FROM irisx_email_messages")).containsExactly(email);
            assertThat(TestRows.column(database, "SELECT filename FROM irisx_email_attachments")).containsExactly("receipt.pdf");
            assertThat(TestRows.column(database, "SELECT message_id FROM irisx_email_status_history")).containsExactly(email);
            assertThat(TestRows.column(database, "SELECT template_id FROM irisx_email_templates")).containsExactly("welcome");
            assertThat(TestRows.column(database, "SELECT id FROM irisx_sms_messages")).containsExactly(sms);
            assertThat(TestRows.column(database, "SELECT message_id FROM irisx_sms_status_history")).containsExactly(sms);
            assertThat(TestRows.column(database, "SELECT id FROM irisx_sms_inbound")).containsExactly(inbound);
            assertThat(TestRows.column(database, "SELECT phone_number FROM irisx_sms_opt_outs"))
                    .containsExactly("+447400654321");

            SchemaObjects schema = SchemaObjects.of(database);
            assertThat(schema.tables()).doesNotContainAnyElementsOf(OLD_TABLES);
            assertThat(schema.all()).isNotEmpty().allMatch(object -> object.startsWith("irisx_"), "starts with irisx_");
            assertThat(database.migrate("messaging")).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void theUpgradedTablesServeTheStoresAndKeepTheirUniqueKeys(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            migrateToBeforeThePrefix(database);
            database.withConnection(connection -> {
                insertOldRows(connection);
                return null;
            });
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            EmailStore emails = EmailStore.create(database, clock, EventSink.logging());
            SmsStore texts = SmsStore.create(database, clock, EventSink.logging());

            assertThat(emails.record(ACME, ProviderEvent.builder("resend", ProviderEvent.Kind.DELIVERED).providerMessageId("re_1").occurredAt(NOW).detail("250 OK").build()))
                    .isTrue();
            assertThat(TestRows.column(database, "SELECT status FROM irisx_email_messages")).containsExactly("DELIVERED");
            assertThat(texts.isOptedOut(ACME, PhoneNumber.of("+447400654321"))).isTrue();
            assertThat(texts.inbound(ACME, 10, Optional.empty())).extracting(InboundSms::providerMessageId).containsExactly("SM1");

            assertThatThrownBy(() -> database.withConnection(connection ->
                    insertEmail(connection, "irisx_email_messages", MessageId.generate().value(), "order-1042")))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> database.withConnection(connection ->
                    insertSms(connection, "irisx_sms_messages", MessageId.generate().value(), sms)))
                    .isInstanceOf(StoreException.class);
            assertThat(texts.receive(ACME, "twilio", "SM1", PhoneNumber.of("+447400654321"),
                    PhoneNumber.of("+447400123456"), "STOP", List.of())).isEmpty();
            // What the unique keys refuse is the duplicate, not the row: another key goes in.
            database.withConnection(connection ->
                    insertEmail(connection, "irisx_email_messages", MessageId.generate().value(), "order-1043"));
            assertThat(TestRows.column(database, "SELECT idempotency_key FROM irisx_email_messages ORDER BY idempotency_key"))
                    .containsExactly("order-1042", "order-1043");
        }
    }

    /** The messaging schema as a database of the version before the prefix holds it: V1 and V2 applied. */
    private static void migrateToBeforeThePrefix(Database database) {
        TestDatabases.migrateUpTo(database, "messaging", "2");
        assertThat(SchemaObjects.of(database).tables()).containsAll(OLD_TABLES);
    }

    private void insertOldRows(Connection connection) throws SQLException {
        insertEmail(connection, "email_messages", email, "order-1042");
        TestRows.insert(connection, "email_attachments", "tenant_id, message_id, position, filename, content_type, content",
                "acme", email, 0, "receipt.pdf", "application/pdf", new byte[] {'%', 'P', 'D', 'F'});
        TestRows.insert(connection, "email_status_history", "tenant_id, id, message_id, status, provider, detail, occurred_at",
                "acme", "evt_email_sent", email, "SENT", "resend", "accepted by resend as re_1", NOW.toEpochMilli());
        TestRows.insert(connection, "email_templates",
                "tenant_id, template_id, version, subject, text_body, html_body, created_at",
                "acme", "welcome", 1, "Welcome, {{name}}", "Hello {{name}}", "", NOW.toEpochMilli());
        insertSms(connection, "sms_messages", sms, sms);
        TestRows.insert(connection, "sms_status_history", "tenant_id, id, message_id, status, detail, occurred_at",
                "acme", "evt_sms_queued", sms, "QUEUED", "queued: 1 segment(s), GSM_7", NOW.toEpochMilli());
        TestRows.insert(connection, "sms_inbound", "tenant_id, id, provider, provider_message_id, from_number, to_number,"
                + " body, media_urls, received_at", "acme", inbound, "twilio", "SM1", "+447400654321",
                "+447400123456", "STOP", "[]", NOW.toEpochMilli());
        TestRows.insert(connection, "sms_opt_outs", "tenant_id, phone_number, keyword, created_at",
                "acme", "+447400654321", "STOP", NOW.toEpochMilli());
    }

    private static Void insertEmail(Connection connection, String table, String id, String key) throws SQLException {
        TestRows.insert(connection, table, "tenant_id, id, idempotency_key, status, from_address, from_name, to_addresses,"
                + " cc_addresses, bcc_addresses, reply_to, subject, text_body, html_body, headers, tags, metadata,"
                + " attachment_count, attempts, provider, provider_message_id, possible_duplicate, created_at,"
                + " updated_at, sent_at",
                "acme", id, key, "SENT", "receipts@acme.example", "", "[{\"address\":\"ada@example.com\"}]", "[]",
                "[]", "[]", "Your receipt", "Thanks", "", "{}", "[]", "{}", 1, 1, "resend",
                key.equals("order-1042") ? "re_1" : "re_2", false, NOW.toEpochMilli(), NOW.toEpochMilli(),
                NOW.toEpochMilli());
        return null;
    }

    private static Void insertSms(Connection connection, String table, String id, String key) throws SQLException {
        TestRows.insert(connection, table, "tenant_id, id, idempotency_key, status, to_number, from_sender,"
                + " messaging_service_sid, body, media_urls, tags, metadata, status_callback, validity_seconds,"
                + " encoding, segments, attempts, possible_duplicate, created_at, updated_at",
                "acme", id, key, "QUEUED", "+447400123456", "+447400654321", "", "Your code is 1234", "[]", "[]",
                "{}", "", 0, "GSM_7", 1, 0, false, NOW.toEpochMilli(), NOW.toEpochMilli());
        return null;
    }
}
