package io.irisx.webhooks.internal.store;

import io.irisx.core.TenantId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import io.irisx.webhooks.endpoint.MessageFilter;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code irisx_webhook_messages}; every statement filters on the tenant. */
public final class MessageRows {

    private static final String COLUMNS = "id, endpoint_id, event_id, event_type, payload, status, attempts,"
            + " next_attempt_at, last_attempt_at, created_at, publications";

    private MessageRows() {
    }

    /**
     * Inserts a new message, counted as published once, under {@code idempotencyKey} if any.
     *
     * @return false when the endpoint has a message with that key already, and nothing was inserted
     */
    static boolean insert(Connection connection, TenantId tenant, WebhookMessage message,
            Optional<String> idempotencyKey) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_webhook_messages (tenant_id, "
                + COLUMNS + ", idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).id(message.id()).id(message.endpointId()).id(message.eventId())
                    .string(message.eventType()).string(message.payload()).enumName(message.status())
                    .intValue(message.attempts()).instant(message.nextAttemptAt()).instant(message.lastAttemptAt())
                    .instant(message.createdAt()).string(idempotencyKey);
            return insert.executeUpdate() == 1;
        }
    }

    /** The endpoint's message stored under {@code idempotencyKey}. */
    static Optional<WebhookMessage> findByKey(Connection connection, TenantId tenant, EndpointId endpoint,
            String idempotencyKey) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM irisx_webhook_messages"
                + " WHERE tenant_id = ? AND endpoint_id = ? AND idempotency_key = ?")) {
            Params.of(select).id(tenant).id(endpoint).string(idempotencyKey);
            return Jdbc.first(select, MessageRows::read);
        }
    }

    public static Optional<WebhookMessage> find(Connection connection, TenantId tenant, MessageId id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM irisx_webhook_messages WHERE tenant_id = ? AND id = ?")) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.first(select, MessageRows::read);
        }
    }

    /** Up to {@code limit} of the endpoint's messages matching {@code filter}, newest first, before {@code after}. */
    public static List<WebhookMessage> list(Connection connection, TenantId tenant, EndpointId endpoint,
            MessageFilter filter, Optional<MessageId> after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM irisx_webhook_messages"
                + " WHERE tenant_id = ? AND endpoint_id = ?");
        after.ifPresent(id -> sql.append(" AND id < ?"));
        filter.status().ifPresent(status -> sql.append(" AND status = ?"));
        filter.since().ifPresent(since -> sql.append(" AND created_at >= ?"));
        sql.append(" ORDER BY id DESC LIMIT ?");
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            Params params = Params.of(select).id(tenant).id(endpoint);
            if (after.isPresent()) {
                params.id(after.get());
            }
            if (filter.status().isPresent()) {
                params.enumName(filter.status().get());
            }
            if (filter.since().isPresent()) {
                params.instant(filter.since().get());
            }
            params.intValue(limit);
            return Jdbc.list(select, MessageRows::read);
        }
    }

    /** The ids of the endpoint's FAILED and EXHAUSTED messages created at or after {@code since}, oldest first. */
    public static List<MessageId> failedSince(Connection connection, TenantId tenant, EndpointId endpoint,
            Instant since) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_webhook_messages"
                + " WHERE tenant_id = ? AND endpoint_id = ? AND status IN ('FAILED', 'EXHAUSTED') AND created_at >= ?"
                + " ORDER BY id")) {
            Params.of(select).id(tenant).id(endpoint).instant(since);
            return Jdbc.list(select, row -> row.id("id", MessageId::parse));
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
            Params.of(update).instant(now).id(tenant).id(id);
            if (update.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT publications FROM irisx_webhook_messages WHERE tenant_id = ? AND id = ?")) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.first(select, row -> row.intValue("publications") - 1);
        }
    }

    /** Sets the outcome of an attempt: the new status, one more attempt, and when the next one is due. */
    static boolean settle(Connection connection, TenantId tenant, MessageId id, MessageStatus status,
            Instant attemptedAt, Optional<Instant> nextAttemptAt) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_messages SET status = ?,"
                + " attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?"
                + " WHERE tenant_id = ? AND id = ?")) {
            Params.of(update).enumName(status).instant(attemptedAt).instant(nextAttemptAt).id(tenant).id(id);
            return update.executeUpdate() == 1;
        }
    }

    private static WebhookMessage read(Row row) throws SQLException {
        return new WebhookMessage(row.id("id", MessageId::parse), row.id("endpoint_id", EndpointId::parse),
                row.id("event_id", EventId::parse), row.string("event_type"), row.string("payload"),
                row.enumValue("status", MessageStatus.class), row.intValue("attempts"),
                row.optionalInstant("next_attempt_at"), row.optionalInstant("last_attempt_at"),
                row.instant("created_at"), row.intValue("publications"));
    }
}
