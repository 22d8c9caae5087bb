package io.irisx.webhooks.endpoint;

import io.irisx.core.TenantId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code irisx_webhook_messages}; every statement filters on the tenant. */
final class MessageRows {

    private static final String COLUMNS = "id, endpoint_id, event_id, event_type, payload, status, attempts,"
            + " next_attempt_at, last_attempt_at, created_at, publications";

    private MessageRows() {
    }

    /** Inserts a new message, counted as published once. */
    static void insert(Connection connection, TenantId tenant, WebhookMessage message) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_webhook_messages (tenant_id, "
                + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
            insert.setString(1, tenant.value());
            insert.setString(2, message.id().value());
            insert.setString(3, message.endpointId().value());
            insert.setString(4, message.eventId().value());
            insert.setString(5, message.eventType());
            insert.setString(6, message.payload());
            insert.setString(7, message.status().name());
            insert.setInt(8, message.attempts());
            Sql.bind(insert, 9, message.nextAttemptAt());
            Sql.bind(insert, 10, message.lastAttemptAt());
            insert.setLong(11, message.createdAt().toEpochMilli());
            insert.executeUpdate();
        }
    }

    static Optional<WebhookMessage> find(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM irisx_webhook_messages WHERE tenant_id = ? AND id = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Up to {@code limit} of the endpoint's messages matching {@code filter}, newest first, before {@code after}. */
    static List<WebhookMessage> list(Connection connection, TenantId tenant, EndpointId endpoint, MessageFilter filter,
            Optional<MessageId> after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM irisx_webhook_messages"
                + " WHERE tenant_id = ? AND endpoint_id = ?");
        after.ifPresent(id -> sql.append(" AND id < ?"));
        filter.status().ifPresent(status -> sql.append(" AND status = ?"));
        filter.since().ifPresent(since -> sql.append(" AND created_at >= ?"));
        sql.append(" ORDER BY id DESC LIMIT ?");
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int i = 1;
            select.setString(i++, tenant.value());
            select.setString(i++, endpoint.value());
            if (after.isPresent()) {
                select.setString(i++, after.get().value());
            }
            if (filter.status().isPresent()) {
                select.setString(i++, filter.status().get().name());
            }
            if (filter.since().isPresent()) {
                select.setLong(i++, filter.since().get().toEpochMilli());
            }
            select.setInt(i, limit);
            List<WebhookMessage> messages = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    messages.add(read(rs));
                }
            }
            return messages;
        }
    }

    /** The ids of the endpoint's FAILED and EXHAUSTED messages created at or after {@code since}, oldest first. */
    static List<MessageId> failedSince(Connection connection, TenantId tenant, EndpointId endpoint, Instant since)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_webhook_messages"
                + " WHERE tenant_id = ? AND endpoint_id = ? AND status IN ('FAILED', 'EXHAUSTED') AND created_at >= ?"
                + " ORDER BY id")) {
            select.setString(1, tenant.value());
            select.setString(2, endpoint.value());
            select.setLong(3, since.toEpochMilli());
            List<MessageId> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(MessageId.parse(rs.getString(1)));
                }
            }
            return ids;
        }
    }

    /**
     * Makes the message due now again and counts one more publication of it; returns how many re-publications there
     * have been, this one included, or empty when there is no such message. The update locks the row until the
     * caller's transaction ends, so concurrent re-publications each get their own number.
     */
    static Optional<Integer> republish(Connection connection, TenantId tenant, MessageId id, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_messages"
                + " SET status = 'PENDING', next_attempt_at = ?, publications = publications + 1"
                + " WHERE tenant_id = ? AND id = ?")) {
            update.setLong(1, now.toEpochMilli());
            update.setString(2, tenant.value());
            update.setString(3, id.value());
            if (update.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT publications FROM irisx_webhook_messages WHERE tenant_id = ? AND id = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return Optional.of(rs.getInt(1) - 1);
            }
        }
    }

    /** Sets the outcome of an attempt: the new status, one more attempt, and when the next one is due. */
    static boolean settle(Connection connection, TenantId tenant, MessageId id, MessageStatus status,
            Instant attemptedAt, Optional<Instant> nextAttemptAt) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_messages SET status = ?,"
                + " attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?"
                + " WHERE tenant_id = ? AND id = ?")) {
            update.setString(1, status.name());
            update.setLong(2, attemptedAt.toEpochMilli());
            Sql.bind(update, 3, nextAttemptAt);
            update.setString(4, tenant.value());
            update.setString(5, id.value());
            return update.executeUpdate() == 1;
        }
    }

    private static WebhookMessage read(ResultSet rs) throws SQLException {
        return new WebhookMessage(MessageId.parse(rs.getString("id")), EndpointId.parse(rs.getString("endpoint_id")),
                EventId.parse(rs.getString("event_id")), rs.getString("event_type"), rs.getString("payload"),
                MessageStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Sql.instant(rs, "next_attempt_at"), Sql.instant(rs, "last_attempt_at"),
                Instant.ofEpochMilli(rs.getLong("created_at")), rs.getInt("publications"));
    }
}
