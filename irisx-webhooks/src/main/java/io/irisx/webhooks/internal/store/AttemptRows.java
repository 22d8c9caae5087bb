package io.irisx.webhooks.internal.store;

import io.irisx.core.TenantId;
import io.irisx.core.id.AttemptId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import io.irisx.webhooks.endpoint.AttemptOutcome;
import io.irisx.webhooks.endpoint.EndpointStats;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookAttempt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SQL of {@code irisx_webhook_attempts}, and the figures over attempts and messages; every statement filters on
 * the tenant.
 */
public final class AttemptRows {

    private static final String COLUMNS = "id, message_id, endpoint_id, attempted_at, status_code, latency_ms,"
            + " response_body, error, outcome, request_url, request_headers";

    private AttemptRows() {
    }

    static void insert(Connection connection, TenantId tenant, WebhookAttempt attempt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_webhook_attempts (tenant_id, "
                + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Params.of(insert).id(tenant).id(attempt.id()).id(attempt.messageId()).id(attempt.endpointId())
                    .instant(attempt.attemptedAt()).intValue(attempt.statusCode()).longValue(attempt.latency().toMillis())
                    .string(attempt.responseBody()).string(attempt.error()).enumName(attempt.outcome())
                    .string(attempt.requestUrl()).string(attempt.requestUrl().map(url ->
                            JsonColumns.headers(attempt.requestHeaders())));
            insert.executeUpdate();
        }
    }

    /** Up to {@code limit} of the message's attempts, oldest first, after {@code after}. */
    public static List<WebhookAttempt> list(Connection connection, TenantId tenant, MessageId message,
            Optional<AttemptId> after, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM irisx_webhook_attempts WHERE tenant_id = ? AND message_id = ?"
                + (after.isPresent() ? " AND id > ?" : "") + " ORDER BY id LIMIT ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            Params params = Params.of(select).id(tenant).id(message);
            if (after.isPresent()) {
                params.id(after.get());
            }
            params.intValue(limit);
            return Jdbc.list(select, AttemptRows::read);
        }
    }

    /** Message counts by status and attempt latencies in {@code [from, to)}, for one endpoint or (empty) all. */
    public static EndpointStats stats(Connection connection, TenantId tenant, Optional<EndpointId> endpoint,
            Instant from, Instant to) throws SQLException {
        String scope = " WHERE tenant_id = ?" + (endpoint.isPresent() ? " AND endpoint_id = ?" : "");
        Map<MessageStatus, Long> messages = new EnumMap<>(MessageStatus.class);
        try (PreparedStatement select = connection.prepareStatement("SELECT status, COUNT(*) AS messages"
                + " FROM irisx_webhook_messages" + scope + " AND created_at >= ? AND created_at < ? GROUP BY status")) {
            bindScope(select, tenant, endpoint, from, to);
            try (ResultSet rs = select.executeQuery()) {
                Row row = Row.of(rs);
                while (rs.next()) {
                    messages.put(row.enumValue("status", MessageStatus.class), row.longValue("messages"));
                }
            }
        }
        // Nearest-rank percentiles: each is a latency that was actually observed.
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) AS attempts,"
                + " PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,"
                + " PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95 FROM irisx_webhook_attempts"
                + scope + " AND attempted_at >= ? AND attempted_at < ?")) {
            bindScope(select, tenant, endpoint, from, to);
            return Jdbc.first(select, row -> new EndpointStats(from, to, messages, row.longValue("attempts"),
                    millis(row, "p50"), millis(row, "p95"))).orElseThrow();
        }
    }

    private static void bindScope(PreparedStatement select, TenantId tenant, Optional<EndpointId> endpoint,
            Instant from, Instant to) throws SQLException {
        Params params = Params.of(select).id(tenant);
        if (endpoint.isPresent()) {
            params.id(endpoint.get());
        }
        params.instant(from).instant(to);
    }

    private static Optional<Duration> millis(Row row, String column) throws SQLException {
        OptionalLong millis = row.optionalLong(column);
        return millis.isPresent() ? Optional.of(Duration.ofMillis(millis.getAsLong())) : Optional.empty();
    }

    private static WebhookAttempt read(Row row) throws SQLException {
        return new WebhookAttempt(row.id("id", AttemptId::parse), row.id("message_id", MessageId::parse),
                row.id("endpoint_id", EndpointId::parse), row.instant("attempted_at"), row.optionalInt("status_code"),
                Duration.ofMillis(row.longValue("latency_ms")), row.string("response_body"),
                row.optionalString("error"), row.enumValue("outcome", AttemptOutcome.class),
                row.optionalString("request_url"),
                row.optionalString("request_headers").map(JsonColumns::headers).orElse(Map.of()));
    }
}
