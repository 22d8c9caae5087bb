package io.irisx.messaging.sms.internal;

import io.irisx.core.TenantId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.internal.Columns;
import io.irisx.messaging.sms.InboundSms;
import io.irisx.messaging.sms.Segments;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.SmsStatusChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and writing the rows of the SMS tables. Not API. */
public final class SmsRows {

    /** The columns {@link #sms(ResultSet)} reads, in order. */
    public static final String COLUMNS = "tenant_id, id, idempotency_key, status, to_number, from_sender,"
            + " messaging_service_sid, body, media_urls, tags, metadata, status_callback, validity_seconds, encoding,"
            + " segments, attempts, provider, provider_message_id, provider_status, error_code, possible_duplicate,"
            + " last_error, created_at, updated_at, sent_at";

    private SmsRows() {
    }

    /** Inserts a new QUEUED message; false when the tenant already has one with its idempotency key. */
    public static boolean insert(Connection connection, Sms sms) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_sms_messages (" + COLUMNS
                + ") VALUES (?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, NULL, NULL, FALSE,"
                + " NULL, ?, ?, NULL) ON CONFLICT DO NOTHING")) {
            int i = 0;
            insert.setString(++i, sms.tenant().value());
            insert.setString(++i, sms.id().value());
            insert.setString(++i, sms.idempotencyKey());
            insert.setString(++i, sms.to());
            insert.setString(++i, sms.from());
            insert.setString(++i, sms.messagingServiceSid());
            insert.setString(++i, sms.body());
            insert.setString(++i, Columns.write(sms.mediaUrls()));
            insert.setString(++i, Columns.write(sms.tags()));
            insert.setString(++i, Columns.write(sms.metadata()));
            insert.setString(++i, sms.statusCallback());
            insert.setInt(++i, sms.validityPeriodSeconds());
            insert.setString(++i, sms.segments().encoding().name());
            insert.setInt(++i, sms.segments().segments());
            insert.setLong(++i, sms.createdAt().toEpochMilli());
            insert.setLong(++i, sms.updatedAt().toEpochMilli());
            return insert.executeUpdate() == 1;
        }
    }

    /** The message in the current row of a result set with {@link #COLUMNS}. */
    public static Sms sms(ResultSet rs) throws SQLException {
        long sentAt = rs.getLong(25);
        boolean sent = !rs.wasNull();
        String body = rs.getString(8);
        return new Sms(MessageId.parse(rs.getString(2)), TenantId.of(rs.getString(1)), rs.getString(3),
                SmsStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7), body,
                Columns.list(rs.getString(9)), Columns.list(rs.getString(10)), Columns.map(rs.getString(11)),
                rs.getString(12), rs.getInt(13), Segments.of(body), rs.getInt(16),
                Optional.ofNullable(rs.getString(17)), Optional.ofNullable(rs.getString(18)),
                Optional.ofNullable(rs.getString(19)), Optional.ofNullable(rs.getString(20)), rs.getBoolean(21),
                Optional.ofNullable(rs.getString(22)), Instant.ofEpochMilli(rs.getLong(23)),
                Instant.ofEpochMilli(rs.getLong(24)), sent ? Optional.of(Instant.ofEpochMilli(sentAt)) : Optional.empty());
    }

    /** The messages {@code sql} (selecting {@link #COLUMNS}, its parameters bound by {@code args}) finds. */
    public static List<Sms> select(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                List<Sms> found = new ArrayList<>();
                while (rs.next()) {
                    found.add(sms(rs));
                }
                return found;
            }
        }
    }

    /** Appends an entry to a message's history. */
    public static void insertChange(Connection connection, TenantId tenant, MessageId id, SmsStatusChange change)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_sms_status_history"
                + " (tenant_id, id, message_id, status, provider_status, error_code, detail, occurred_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, tenant.value());
            insert.setString(2, change.id().value());
            insert.setString(3, id.value());
            insert.setString(4, change.status().name());
            insert.setString(5, change.providerStatus().orElse(null));
            insert.setString(6, change.errorCode().orElse(null));
            insert.setString(7, Columns.cut(change.detail()));
            insert.setLong(8, change.occurredAt().toEpochMilli());
            insert.executeUpdate();
        }
    }

    /** Whether a message's history holds an entry of this provider status and error code. */
    public static boolean hasReport(Connection connection, TenantId tenant, MessageId id, String providerStatus,
            Optional<String> errorCode) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM irisx_sms_status_history"
                + " WHERE tenant_id = ? AND message_id = ? AND provider_status = ? AND "
                + (errorCode.isPresent() ? "error_code = ?" : "error_code IS NULL"))) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            select.setString(3, providerStatus);
            if (errorCode.isPresent()) {
                select.setString(4, errorCode.get());
            }
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A message's history, oldest first. */
    public static List<SmsStatusChange> history(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, status, provider_status, error_code,"
                + " detail, occurred_at FROM irisx_sms_status_history WHERE tenant_id = ? AND message_id = ?"
                + " ORDER BY occurred_at, id")) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            try (ResultSet rs = select.executeQuery()) {
                List<SmsStatusChange> changes = new ArrayList<>();
                while (rs.next()) {
                    changes.add(new SmsStatusChange(EventId.parse(rs.getString(1)), SmsStatus.valueOf(rs.getString(2)),
                            Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)),
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
                return changes;
            }
        }
    }

    /** Stores an inbound message; false when the provider delivered its id before. */
    public static boolean insertInbound(Connection connection, TenantId tenant, InboundSms inbound) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_sms_inbound (tenant_id, id,"
                + " provider, provider_message_id, from_number, to_number, body, media_urls, received_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, tenant.value());
            insert.setString(2, inbound.id().value());
            insert.setString(3, inbound.provider());
            insert.setString(4, inbound.providerMessageId());
            insert.setString(5, inbound.from());
            insert.setString(6, inbound.to());
            insert.setString(7, inbound.body());
            insert.setString(8, Columns.write(inbound.mediaUrls()));
            insert.setLong(9, inbound.receivedAt().toEpochMilli());
            return insert.executeUpdate() == 1;
        }
    }

    /** The tenant's inbound messages, newest first, at most {@code limit}. */
    public static List<InboundSms> inbound(Connection connection, TenantId tenant, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, provider, provider_message_id,"
                + " from_number, to_number, body, media_urls, received_at FROM irisx_sms_inbound WHERE tenant_id = ?"
                + " ORDER BY id DESC LIMIT " + limit)) {
            select.setString(1, tenant.value());
            try (ResultSet rs = select.executeQuery()) {
                List<InboundSms> found = new ArrayList<>();
                while (rs.next()) {
                    found.add(new InboundSms(MessageId.parse(rs.getString(1)), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), Columns.list(rs.getString(7)),
                            Instant.ofEpochMilli(rs.getLong(8))));
                }
                return found;
            }
        }
    }
}
