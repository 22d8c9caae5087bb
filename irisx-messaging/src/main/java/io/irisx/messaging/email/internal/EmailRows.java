package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.event.EventType;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.EmailStream;
import io.irisx.messaging.email.StatusChange;
import io.irisx.messaging.internal.Columns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reading and writing the rows of the email tables. Not API. */
public final class EmailRows {

    /** The columns {@link #email(ResultSet)} reads. */
    public static final String COLUMNS = "tenant_id, id, idempotency_key, status, from_address, from_name,"
            + " to_addresses, cc_addresses, bcc_addresses, reply_to, subject, text_body, html_body, headers, tags,"
            + " metadata, template_id, template_version, attachment_count, attempts, provider, provider_message_id,"
            + " possible_duplicate, last_error, created_at, updated_at, sent_at, stream, test_mode";

    private static final String INSERT = "INSERT INTO irisx_email_messages (" + COLUMNS + ") VALUES"
            + " (?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, FALSE, NULL, ?, ?, NULL, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    private EmailRows() {
    }

    /** Inserts a new QUEUED email; false when the tenant already has one with its idempotency key (or id). */
    public static boolean insert(Connection connection, Email email) throws SQLException {
        Optional<Email.TemplateRef> template = email.template();
        OptionalInt templateVersion = template.isPresent() ? OptionalInt.of(template.get().version()) : OptionalInt.empty();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            Params.of(insert).id(email.tenant()).id(email.id()).string(email.idempotencyKey())
                    .string(email.from().address()).string(email.from().name()).string(Columns.addresses(email.to()))
                    .string(Columns.addresses(email.cc())).string(Columns.addresses(email.bcc()))
                    .string(Columns.addresses(email.replyTo())).string(email.subject()).string(email.text())
                    .string(email.html()).json(email.headers()).json(email.tags()).json(email.metadata())
                    .string(template.map(Email.TemplateRef::id)).intValue(templateVersion)
                    .intValue(email.attachmentCount()).instant(email.createdAt()).instant(email.updatedAt())
                    .enumName(email.stream()).bool(email.test());
            return insert.executeUpdate() == 1;
        }
    }

    /** Inserts an email's attachments, in order. */
    public static void insertAttachments(Connection connection, TenantId tenant, MessageId id, List<Attachment> attachments)
            throws SQLException {
        if (attachments.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_attachments (tenant_id,"
                + " message_id, position, filename, content_type, content_id, content) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int position = 0;
            for (Attachment attachment : attachments) {
                Params.of(insert).id(tenant).id(id).intValue(position++).string(attachment.filename())
                        .string(attachment.contentType()).string(attachment.contentId()).bytes(attachment.content());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** An email's attachments, in order. */
    public static List<Attachment> attachments(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT filename, content_type, content_id, content"
                + " FROM irisx_email_attachments WHERE tenant_id = ? AND message_id = ? ORDER BY position")) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.list(select, EmailRows::attachment);
        }
    }

    /** The tenant's email {@code id}, if it has one. */
    public static Optional<Email> find(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM irisx_email_messages WHERE tenant_id = ? AND id = ?")) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.first(select, EmailRows::email);
        }
    }

    /** The id of the tenant's email with {@code idempotencyKey}, if it has one. */
    public static Optional<MessageId> findByKey(Connection connection, TenantId tenant, String idempotencyKey)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM irisx_email_messages WHERE tenant_id = ? AND idempotency_key = ?")) {
            Params.of(select).id(tenant).string(idempotencyKey);
            return Jdbc.first(select, row -> row.id("id", MessageId::parse));
        }
    }

    /** Appends a status change to an email's history. */
    public static void insertChange(Connection connection, TenantId tenant, MessageId id, StatusChange change)
            throws SQLException {
        insertChange(connection, tenant, id, change, Optional.empty());
    }

    /**
     * Inserts an entry of an email's history; {@code reportKind} names the kind of a provider's report
     * ({@code HARD_BOUNCE}, …) or of a recipient's action ({@code MACHINE_OPEN}), which the sender's numbers count by.
     */
    public static void insertChange(Connection connection, TenantId tenant, MessageId id, StatusChange change,
            Optional<String> reportKind) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_status_history"
                + " (tenant_id, id, message_id, status, event_type, provider, recipient, detail, occurred_at,"
                + " report_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Params.of(insert).id(tenant).id(change.id()).id(id).enumName(change.status()).string(change.event().wireName())
                    .string(change.provider()).string(change.recipient()).string(Columns.cut(change.detail()))
                    .instant(change.occurredAt()).string(reportKind);
            insert.executeUpdate();
        }
    }

    /** An email's history, oldest first. */
    public static List<StatusChange> history(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, status, event_type, provider,"
                + " recipient, detail, occurred_at FROM irisx_email_status_history WHERE tenant_id = ? AND message_id = ?"
                + " ORDER BY occurred_at, id")) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.list(select, row -> {
                EmailStatus status = row.enumValue("status", EmailStatus.class);
                EventType event = row.optionalString("event_type").flatMap(EventType::fromWireName).orElse(status.event());
                return new StatusChange(row.id("id", EventId::parse), status, event, row.optionalString("provider"),
                        row.optionalString("recipient"), row.string("detail"), row.instant("occurred_at"));
            });
        }
    }

    /** The email in the current row of a result set with {@link #COLUMNS}. */
    public static Email email(ResultSet rs) throws SQLException {
        return email(Row.of(rs));
    }

    private static Email email(Row row) throws SQLException {
        Optional<String> templateId = row.optionalString("template_id");
        Optional<Email.TemplateRef> template = templateId.isPresent()
                ? Optional.of(new Email.TemplateRef(templateId.get(), row.intValue("template_version")))
                : Optional.empty();
        return new Email(row.id("id", MessageId::parse), row.id("tenant_id", TenantId::of),
                row.string("idempotency_key"), row.enumValue("status", EmailStatus.class),
                row.enumValue("stream", EmailStream.class),
                EmailAddress.of(row.string("from_address"), row.string("from_name")),
                Columns.addresses(row.string("to_addresses")), Columns.addresses(row.string("cc_addresses")),
                Columns.addresses(row.string("bcc_addresses")), Columns.addresses(row.string("reply_to")),
                row.string("subject"), row.string("text_body"), row.string("html_body"),
                Columns.map(row.string("headers")), Columns.list(row.string("tags")),
                Columns.map(row.string("metadata")), template, row.intValue("attachment_count"),
                row.intValue("attempts"), row.optionalString("provider"), row.optionalString("provider_message_id"),
                row.bool("possible_duplicate"), row.optionalString("last_error"), row.instant("created_at"),
                row.instant("updated_at"), row.optionalInstant("sent_at"), row.bool("test_mode"));
    }

    private static Attachment attachment(Row row) throws SQLException {
        Optional<String> contentId = row.optionalString("content_id");
        return contentId.isPresent()
                ? Attachment.inline(contentId.get(), row.string("filename"), row.string("content_type"),
                        row.bytes("content"))
                : Attachment.of(row.string("filename"), row.string("content_type"), row.bytes("content"));
    }
}
