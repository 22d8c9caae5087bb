package io.irisx.webhooks.endpoint;

import io.irisx.core.TenantId;
import io.irisx.core.id.EndpointId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The SQL of {@code irisx_webhook_endpoints}; every statement filters on the tenant. */
final class EndpointRows {

    /** An endpoint row: the endpoint, and its sealed secrets. */
    record Stored(Endpoint endpoint, String sealedSecret, Optional<String> sealedPrevious,
            Optional<Instant> previousExpiresAt) {
    }

    private static final String COLUMNS = "id, url, description, event_types, labels, headers, rate_limit_per_second,"
            + " max_concurrency, secret, previous_secret, previous_secret_expires_at, disabled, disabled_reason,"
            + " disabled_at, failing_since, failure_count, created_at, updated_at";

    private static final String INSERT = "INSERT INTO irisx_webhook_endpoints (tenant_id, " + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, FALSE, NULL, NULL, NULL, 0, ?, ?)";

    private static final String UPDATE = "UPDATE irisx_webhook_endpoints SET url = ?, description = ?, event_types = ?,"
            + " labels = ?, headers = ?, rate_limit_per_second = ?, max_concurrency = ?, updated_at = ?"
            + " WHERE tenant_id = ? AND id = ?";

    /** Matches the endpoints receiving an event type: the JSON array holds its quoted name, or there is no filter. */
    private static final String RECEIVES = "(event_types IS NULL OR POSITION(? IN event_types) > 0)";

    private EndpointRows() {
    }

    static void insert(Connection connection, TenantId tenant, Endpoint endpoint, String sealedSecret)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, tenant.value());
            insert.setString(2, endpoint.id().value());
            bindSettings(insert, 3, endpoint);
            insert.setString(10, sealedSecret);
            insert.setLong(11, endpoint.createdAt().toEpochMilli());
            insert.setLong(12, endpoint.updatedAt().toEpochMilli());
            insert.executeUpdate();
        }
    }

    static Optional<Stored> find(Connection connection, TenantId tenant, EndpointId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM irisx_webhook_endpoints WHERE tenant_id = ? AND id = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Up to {@code limit} endpoints in id order after {@code after}, matching {@code filter}. */
    static List<Endpoint> list(Connection connection, TenantId tenant, EndpointFilter filter,
            Optional<EndpointId> after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
                + " FROM irisx_webhook_endpoints WHERE tenant_id = ?");
        after.ifPresent(id -> sql.append(" AND id > ?"));
        filter.disabled().ifPresent(disabled -> sql.append(" AND disabled = ?"));
        filter.eventType().ifPresent(type -> sql.append(" AND ").append(RECEIVES));
        sql.append(" ORDER BY id LIMIT ?");
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            int i = 1;
            select.setString(i++, tenant.value());
            if (after.isPresent()) {
                select.setString(i++, after.get().value());
            }
            if (filter.disabled().isPresent()) {
                select.setBoolean(i++, filter.disabled().get());
            }
            if (filter.eventType().isPresent()) {
                select.setString(i++, JsonColumns.quoted(filter.eventType().get()));
            }
            select.setInt(i, limit);
            List<Endpoint> endpoints = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    endpoints.add(read(rs).endpoint());
                }
            }
            return endpoints;
        }
    }

    /** The ids of the tenant's enabled endpoints that receive {@code eventType}, in id order. */
    static List<EndpointId> receiving(Connection connection, TenantId tenant, String eventType) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_webhook_endpoints"
                + " WHERE tenant_id = ? AND disabled = FALSE AND " + RECEIVES + " ORDER BY id")) {
            select.setString(1, tenant.value());
            select.setString(2, JsonColumns.quoted(eventType));
            List<EndpointId> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(EndpointId.parse(rs.getString(1)));
                }
            }
            return ids;
        }
    }

    /** Writes the endpoint's settings (URL, description, filter, labels, headers, limits) and its update time. */
    static void updateSettings(Connection connection, TenantId tenant, Endpoint endpoint) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            bindSettings(update, 1, endpoint);
            update.setLong(8, endpoint.updatedAt().toEpochMilli());
            update.setString(9, tenant.value());
            update.setString(10, endpoint.id().value());
            update.executeUpdate();
        }
    }

    static void updateSecrets(Connection connection, TenantId tenant, EndpointId id, String sealedSecret,
            String sealedPrevious, Instant previousExpiresAt, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints SET secret = ?,"
                + " previous_secret = ?, previous_secret_expires_at = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND id = ?")) {
            update.setString(1, sealedSecret);
            update.setString(2, sealedPrevious);
            update.setLong(3, previousExpiresAt.toEpochMilli());
            update.setLong(4, now.toEpochMilli());
            update.setString(5, tenant.value());
            update.setString(6, id.value());
            update.executeUpdate();
        }
    }

    /** Disables an enabled endpoint; false when there is no such endpoint or it was disabled already. */
    static boolean disable(Connection connection, TenantId tenant, EndpointId id, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints"
                + " SET disabled = TRUE, disabled_reason = ?, disabled_at = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND id = ? AND disabled = FALSE")) {
            update.setString(1, reason);
            update.setLong(2, now.toEpochMilli());
            update.setLong(3, now.toEpochMilli());
            update.setString(4, tenant.value());
            update.setString(5, id.value());
            return update.executeUpdate() == 1;
        }
    }

    /** Enables an endpoint with a clean failure record; false when there is no such endpoint or it was enabled. */
    static boolean enable(Connection connection, TenantId tenant, EndpointId id, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints"
                + " SET disabled = FALSE, disabled_reason = NULL, disabled_at = NULL, failing_since = NULL,"
                + " failure_count = 0, updated_at = ?"
                + " WHERE tenant_id = ? AND id = ? AND disabled = TRUE")) {
            update.setLong(1, now.toEpochMilli());
            update.setString(2, tenant.value());
            update.setString(3, id.value());
            return update.executeUpdate() == 1;
        }
    }

    /** Counts a failed delivery, starting the failing run if none is under way; false when there is no endpoint. */
    static boolean markFailure(Connection connection, TenantId tenant, EndpointId id, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints"
                + " SET failing_since = COALESCE(failing_since, ?), failure_count = failure_count + 1"
                + " WHERE tenant_id = ? AND id = ?")) {
            update.setLong(1, now.toEpochMilli());
            update.setString(2, tenant.value());
            update.setString(3, id.value());
            return update.executeUpdate() == 1;
        }
    }

    /** Ends a failing run; writes nothing when the endpoint was not failing (the common case). */
    static void markSuccess(Connection connection, TenantId tenant, EndpointId id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints"
                + " SET failing_since = NULL, failure_count = 0 WHERE tenant_id = ? AND id = ?"
                + " AND (failing_since IS NOT NULL OR failure_count <> 0)")) {
            update.setString(1, tenant.value());
            update.setString(2, id.value());
            update.executeUpdate();
        }
    }

    /** Deletes the endpoint with its messages and their attempts; false when there is no such endpoint. */
    static boolean delete(Connection connection, TenantId tenant, EndpointId id) throws SQLException {
        for (String table : List.of("irisx_webhook_attempts", "irisx_webhook_messages")) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE tenant_id = ? AND endpoint_id = ?")) {
                delete.setString(1, tenant.value());
                delete.setString(2, id.value());
                delete.executeUpdate();
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM irisx_webhook_endpoints WHERE tenant_id = ? AND id = ?")) {
            delete.setString(1, tenant.value());
            delete.setString(2, id.value());
            return delete.executeUpdate() == 1;
        }
    }

    /** Binds URL, description, event types, labels, headers, rate limit and concurrency from {@code index} on. */
    private static void bindSettings(PreparedStatement statement, int index, Endpoint endpoint) throws SQLException {
        statement.setString(index, endpoint.url());
        statement.setString(index + 1, endpoint.description());
        Sql.bindText(statement, index + 2, endpoint.receivesAllEventTypes()
                ? Optional.empty() : Optional.of(JsonColumns.names(endpoint.eventTypes())));
        statement.setString(index + 3, JsonColumns.names(endpoint.labels()));
        statement.setString(index + 4, JsonColumns.headers(endpoint.headers()));
        Sql.bind(statement, index + 5, endpoint.rateLimitPerSecond());
        Sql.bind(statement, index + 6, endpoint.maxConcurrency());
    }

    private static Stored read(ResultSet rs) throws SQLException {
        String eventTypes = rs.getString("event_types");
        Endpoint endpoint = new Endpoint(EndpointId.parse(rs.getString("id")), rs.getString("url"),
                rs.getString("description"), eventTypes == null ? Set.of() : JsonColumns.names(eventTypes),
                JsonColumns.names(rs.getString("labels")), JsonColumns.headers(rs.getString("headers")),
                Sql.integer(rs, "rate_limit_per_second"), Sql.integer(rs, "max_concurrency"),
                rs.getBoolean("disabled"), Optional.ofNullable(rs.getString("disabled_reason")),
                Sql.instant(rs, "disabled_at"), Sql.instant(rs, "failing_since"), rs.getInt("failure_count"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
        return new Stored(endpoint, rs.getString("secret"), Optional.ofNullable(rs.getString("previous_secret")),
                Sql.instant(rs, "previous_secret_expires_at"));
    }
}
