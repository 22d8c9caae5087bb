package io.irisx.webhooks.endpoint;

import io.irisx.core.TenantId;
import io.irisx.core.id.AttemptId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of {@code irisx_webhook_attempts}, and the figures over attempts and messages; every statement filters on
 * the tenant.
 */
final class AttemptRows {

    private static final String COLUMNS = "id, message_id, endpoint_id, attempted_at, status_code, latency_ms,"
            + " response_body, error, outcome";

    private AttemptRows() {
    }

    static void insert(Connection connection, TenantId tenant, WebhookAttempt attempt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_webhook_attempts (tenant_id, "
                + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, tenant.value());
            insert.setString(2, attempt.id().value());
            insert.setString(3, attempt.messageId().value());
            insert.setString(4, attempt.endpointId().value());
            insert.setLong(5, attempt.attemptedAt().toEpochMilli());
            Sql.bind(insert, 6, attempt.statusCode());
            insert.setLong(7, attempt.latency().toMillis());
            insert.setString(8, attempt.responseBody());
            Sql.bindText(insert, 9, attempt.error());
            insert.setString(10, attempt.outcome().name());
            insert.executeUpdate();
        }
    }

    /** Up to {@code limit} of the message's attempts, oldest first, after {@code after}. */
    static List<WebhookAttempt> list(Connection connection, TenantId tenant, MessageId message,
            Optional<AttemptId> after, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM irisx_webhook_attempts WHERE tenant_id = ? AND message_id = ?"
                + (after.isPresent() ? " AND id > ?" : "") + " ORDER BY id LIMIT ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int i = 1;
            select.setString(i++, tenant.value());
            select.setString(i++, message.value());
            if (after.isPresent()) {
                select.setString(i++, after.get().value());
            }
            select.setInt(i, limit);
            List<WebhookAttempt> attempts = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    attempts.add(read(rs));
                }
            }
            return attempts;
        }
    }

    /** Message counts by status and attempt latencies in {@code [from, to)}, for one endpoint or (empty) all. */
    static EndpointStats stats(Connection connection, TenantId tenant, Optional<EndpointId> endpoint, Instant from,
            Instant to) throws SQLException {
        String scope = " WHERE tenant_id = ?" + (endpoint.isPresent() ? " AND endpoint_id = ?" : "");
        Map<MessageStatus, Long> messages = new EnumMap<>(MessageStatus.class);
        try (PreparedStatement select = connection.prepareStatement("SELECT status, COUNT(*)"
                + " FROM irisx_webhook_messages" + scope + " AND created_at >= ? AND created_at < ? GROUP BY status")) {
            bindScope(select, tenant, endpoint, from, to);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    messages.put(MessageStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        // Nearest-rank percentiles: each is a latency that was actually observed.
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*),"
                + " PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY latency_ms),"
                + " PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY latency_ms) FROM irisx_webhook_attempts"
                + scope + " AND attempted_at >= ? AND attempted_at < ?")) {
            bindScope(select, tenant, endpoint, from, to);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new EndpointStats(from, to, messages, rs.getLong(1), millis(rs, 2), millis(rs, 3));
            }
        }
    }

    private static void bindScope(PreparedStatement select, TenantId tenant, Optional<EndpointId> endpoint,
            Instant from, Instant to) throws SQLException {
        int i = 1;
        select.setString(i++, tenant.value());
        if (endpoint.isPresent()) {
            select.setString(i++, endpoint.get().value());
        }
        select.setLong(i++, from.toEpochMilli());
        select.setLong(i, to.toEpochMilli());
    }

    private static Optional<Duration> millis(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
    }

    private static WebhookAttempt read(ResultSet rs) throws SQLException {
        return new WebhookAttempt(AttemptId.parse(rs.getString("id")), MessageId.parse(rs.getString("message_id")),
                EndpointId.parse(rs.getString("endpoint_id")), Instant.ofEpochMilli(rs.getLong("attempted_at")),
                Sql.integer(rs, "status_code"), Duration.ofMillis(rs.getLong("latency_ms")),
                rs.getString("response_body"), Optional.ofNullable(rs.getString("error")),
                AttemptOutcome.valueOf(rs.getString("outcome")));
    }
}
