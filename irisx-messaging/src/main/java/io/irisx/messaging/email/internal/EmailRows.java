package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.StatusChange;
import io.irisx.messaging.internal.Columns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and writing the rows of the email tables. Not API. */
public final class EmailRows {

    /** The columns {@link #email(ResultSet)} reads, in order. */
    public static final String COLUMNS = "tenant_id, id, idempotency_key, status, from_address, from_name,"
            + " to_addresses, cc_addresses, bcc_addresses, reply_to, subject, text_body, html_body, headers, tags,"
            + " metadata, template_id, template_version, attachment_count, attempts, provider, provider_message_id,"
            + " possible_duplicate, last_error, created_at, updated_at, sent_at";

    private static final String INSERT = "INSERT INTO irisx_email_messages (" + COLUMNS + ") VALUES"
            + " (?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, FALSE, NULL, ?, ?, NULL)"
            + " ON CONFLICT DO NOTHING";

    private EmailRows() {
    }

    /** Inserts a new QUEUED email; false when the tenant already has one with its idempotency key (or id). */
    public static boolean insert(Connection connection, Email email) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            int i = 0;
            insert.setString(++i, email.tenant().value());
            insert.setString(++i, email.id().value());
            insert.setString(++i, email.idempotencyKey());
            insert.setString(++i, email.from().address());
            insert.setString(++i, email.from().name());
            insert.setString(++i, Columns.addresses(email.to()));
            insert.setString(++i, Columns.addresses(email.cc()));
            insert.setString(++i, Columns.addresses(email.bcc()));
            insert.setString(++i, Columns.addresses(email.replyTo()));
            insert.setString(++i, email.subject());
            insert.setString(++i, email.text());
            insert.setString(++i, email.html());
            insert.setString(++i, Columns.write(email.headers()));
            insert.setString(++i, Columns.write(email.tags()));
            insert.setString(++i, Columns.write(email.metadata()));
            insert.setString(++i, email.template().map(Email.TemplateRef::id).orElse(null));
            if (email.template().isPresent()) {
                insert.setInt(++i, email.template().get().version());
            } else {
                insert.setNull(++i, java.sql.Types.INTEGER);
            }
            insert.setInt(++i, email.attachmentCount());
            insert.setLong(++i, email.createdAt().toEpochMilli());
            insert.setLong(++i, email.updatedAt().toEpochMilli());
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
                insert.setString(1, tenant.value());
                insert.setString(2, id.value());
                insert.setInt(3, position++);
                insert.setString(4, attachment.filename());
                insert.setString(5, attachment.contentType());
                insert.setString(6, attachment.contentId().orElse(null));
                insert.setBytes(7, attachment.content());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** An email's attachments, in order. */
    public static List<Attachment> attachments(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT filename, content_type, content_id, content"
                + " FROM irisx_email_attachments WHERE tenant_id = ? AND message_id = ? ORDER BY position")) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            try (ResultSet rs = select.executeQuery()) {
                List<Attachment> attachments = new ArrayList<>();
                while (rs.next()) {
                    String contentId = rs.getString(3);
                    attachments.add(contentId == null
                            ? Attachment.of(rs.getString(1), rs.getString(2), rs.getBytes(4))
                            : Attachment.inline(contentId, rs.getString(1), rs.getString(2), rs.getBytes(4)));
                }
                return attachments;
            }
        }
    }

    /** The tenant's email {@code id}, if it has one. */
    public static Optional<Email> find(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM irisx_email_messages WHERE tenant_id = ? AND id = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(email(rs)) : Optional.empty();
            }
        }
    }

    /** The id of the tenant's email with {@code idempotencyKey}, if it has one. */
    public static Optional<MessageId> findByKey(Connection connection, TenantId tenant, String idempotencyKey)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM irisx_email_messages WHERE tenant_id = ? AND idempotency_key = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, idempotencyKey);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(MessageId.parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** Appends a status change to an email's history. */
    public static void insertChange(Connection connection, TenantId tenant, MessageId id, StatusChange change)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_status_history"
                + " (tenant_id, id, message_id, status, provider, detail, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, tenant.value());
            insert.setString(2, change.id().value());
            insert.setString(3, id.value());
            insert.setString(4, change.status().name());
            insert.setString(5, change.provider().orElse(null));
            insert.setString(6, Columns.cut(change.detail()));
            insert.setLong(7, change.occurredAt().toEpochMilli());
            insert.executeUpdate();
        }
    }

    /** Whether an email's history holds an entry of this status, provider and detail. */
    public static boolean hasChange(Connection connection, TenantId tenant, MessageId id, String status, String provider,
            String detail) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM irisx_email_status_history"
                + " WHERE tenant_id = ? AND message_id = ? AND status = ? AND provider = ? AND detail = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            select.setString(3, status);
            select.setString(4, provider);
            select.setString(5, Columns.cut(detail));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** An email's status changes, oldest first. */
    public static List<StatusChange> history(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, status, provider, detail, occurred_at"
                + " FROM irisx_email_status_history WHERE tenant_id = ? AND message_id = ? ORDER BY occurred_at, id")) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            try (ResultSet rs = select.executeQuery()) {
                List<StatusChange> changes = new ArrayList<>();
                while (rs.next()) {
                    changes.add(new StatusChange(EventId.parse(rs.getString(1)), EmailStatus.valueOf(rs.getString(2)),
                            Optional.ofNullable(rs.getString(3)), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))));
                }
                return changes;
            }
        }
    }

    /** The email in the current row of a result set with {@link #COLUMNS}. */
    public static Email email(ResultSet rs) throws SQLException {
        String templateId = rs.getString(17);
        int templateVersion = rs.getInt(18);
        long sentAt = rs.getLong(27);
        boolean sent = !rs.wasNull();
        return new Email(MessageId.parse(rs.getString(2)), TenantId.of(rs.getString(1)), rs.getString(3),
                EmailStatus.valueOf(rs.getString(4)), EmailAddress.of(rs.getString(5), rs.getString(6)),
                Columns.addresses(rs.getString(7)), Columns.addresses(rs.getString(8)),
                Columns.addresses(rs.getString(9)), Columns.addresses(rs.getString(10)), rs.getString(11),
                rs.getString(12), rs.getString(13), Columns.map(rs.getString(14)), Columns.list(rs.getString(15)),
                Columns.map(rs.getString(16)),
                templateId == null ? Optional.empty() : Optional.of(new Email.TemplateRef(templateId, templateVersion)),
                rs.getInt(19), rs.getInt(20), Optional.ofNullable(rs.getString(21)),
                Optional.ofNullable(rs.getString(22)), rs.getBoolean(23), Optional.ofNullable(rs.getString(24)),
                Instant.ofEpochMilli(rs.getLong(25)), Instant.ofEpochMilli(rs.getLong(26)),
                sent ? Optional.of(Instant.ofEpochMilli(sentAt)) : Optional.empty());
    }
}
