package io.irisx.messaging.sms.internal;

import io.irisx.core.TenantId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
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
import java.util.List;
import java.util.Optional;

/** Reading and writing the rows of the SMS tables. Not API. */
public final class SmsRows {

    /** The columns {@link #sms(ResultSet)} reads. */
    public static final String COLUMNS = "tenant_id, id, idempotency_key, status, to_number, from_sender,"
            + " messaging_service_sid, body, media_urls, tags, metadata, status_callback, validity_seconds, encoding,"
            + " segments, attempts, provider, provider_message_id, provider_status, error_code, possible_duplicate,"
            + " last_error, created_at, updated_at, sent_at, test_mode";

    private SmsRows() {
    }

    /** Inserts a new QUEUED message; false when the tenant already has one with its idempotency key. */
    public static boolean insert(Connection connection, Sms sms) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_sms_messages (" + COLUMNS
                + ") VALUES (?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, NULL, NULL, FALSE,"
                + " NULL, ?, ?, NULL, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(sms.tenant()).id(sms.id()).string(sms.idempotencyKey()).string(sms.to())
                    .string(sms.from()).string(sms.messagingServiceSid()).string(sms.body()).json(sms.mediaUrls())
                    .json(sms.tags()).json(sms.metadata()).string(sms.statusCallback())
                    .intValue(sms.validityPeriodSeconds()).enumName(sms.segments().encoding())
                    .intValue(sms.segments().segments()).instant(sms.createdAt()).instant(sms.updatedAt())
                    .bool(sms.test());
            return insert.executeUpdate() == 1;
        }
    }

    /** The message in the current row of a result set with {@link #COLUMNS}. */
    public static Sms sms(ResultSet rs) throws SQLException {
        return sms(Row.of(rs));
    }

    private static Sms sms(Row row) throws SQLException {
        String body = row.string("body");
        return new Sms(row.id("id", MessageId::parse), row.id("tenant_id", TenantId::of), row.string("idempotency_key"),
                row.enumValue("status", SmsStatus.class), row.string("to_number"), row.string("from_sender"),
                row.string("messaging_service_sid"), body, Columns.list(row.string("media_urls")),
                Columns.list(row.string("tags")), Columns.map(row.string("metadata")), row.string("status_callback"),
                row.intValue("validity_seconds"), Segments.of(body), row.intValue("attempts"),
                row.optionalString("provider"), row.optionalString("provider_message_id"),
                row.optionalString("provider_status"), row.optionalString("error_code"),
                row.bool("possible_duplicate"), row.optionalString("last_error"), row.instant("created_at"),
                row.instant("updated_at"), row.optionalInstant("sent_at"), row.bool("test_mode"));
    }

    /** The messages {@code sql} (selecting {@link #COLUMNS}, its parameters bound by {@code args}) finds. */
    public static List<Sms> select(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            return Jdbc.list(select, SmsRows::sms);
        }
    }

    /** Appends an entry to a message's history. */
    public static void insertChange(Connection connection, TenantId tenant, MessageId id, SmsStatusChange change)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_sms_status_history"
                + " (tenant_id, id, message_id, status, provider_status, error_code, detail, occurred_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            Params.of(insert).id(tenant).id(change.id()).id(id).enumName(change.status())
                    .string(change.providerStatus()).string(change.errorCode()).string(Columns.cut(change.detail()))
                    .instant(change.occurredAt());
            insert.executeUpdate();
        }
    }

    /** Whether a message's history holds an entry of this provider status and error code. */
    public static boolean hasReport(Connection connection, TenantId tenant, MessageId id, String providerStatus,
            Optional<String> errorCode) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM irisx_sms_status_history"
                + " WHERE tenant_id = ? AND message_id = ? AND provider_status = ? AND "
                + (errorCode.isPresent() ? "error_code = ?" : "error_code IS NULL"))) {
            Params params = Params.of(select).id(tenant).id(id).string(providerStatus);
            if (errorCode.isPresent()) {
                params.string(errorCode.get());
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
            Params.of(select).id(tenant).id(id);
            return Jdbc.list(select, row -> new SmsStatusChange(row.id("id", EventId::parse),
                    row.enumValue("status", SmsStatus.class), row.optionalString("provider_status"),
                    row.optionalString("error_code"), row.string("detail"), row.instant("occurred_at")));
        }
    }

    /** Stores an inbound message; false when the provider delivered its id before. */
    public static boolean insertInbound(Connection connection, TenantId tenant, InboundSms inbound) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_sms_inbound (tenant_id, id,"
                + " provider, provider_message_id, from_number, to_number, body, media_urls, received_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).id(inbound.id()).string(inbound.provider())
                    .string(inbound.providerMessageId()).string(inbound.from()).string(inbound.to())
                    .string(inbound.body()).json(inbound.mediaUrls()).instant(inbound.receivedAt());
            return insert.executeUpdate() == 1;
        }
    }

    /** The tenant's inbound messages, newest first, at most {@code limit}. */
    public static List<InboundSms> inbound(Connection connection, TenantId tenant, int limit, Optional<MessageId> after)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, provider, provider_message_id,"
                + " from_number, to_number, body, media_urls, received_at FROM irisx_sms_inbound WHERE tenant_id = ?"
                + " AND id < ? ORDER BY id DESC LIMIT " + limit)) {
            Params.of(select).id(tenant).string(after.map(MessageId::value).orElse("~"));
            return Jdbc.list(select, row -> new InboundSms(row.id("id", MessageId::parse), row.string("provider"),
                    row.string("provider_message_id"), row.string("from_number"), row.string("to_number"),
                    row.string("body"), Columns.list(row.string("media_urls")), row.instant("received_at")));
        }
    }
}
