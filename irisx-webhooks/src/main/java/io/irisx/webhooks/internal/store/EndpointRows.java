package io.irisx.webhooks.internal.store;

import io.irisx.core.TenantId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import io.irisx.webhooks.endpoint.Endpoint;
import io.irisx.webhooks.endpoint.EndpointFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The SQL of {@code irisx_webhook_endpoints}; every statement filters on the tenant. */
public final class EndpointRows {

    /** An endpoint row: the endpoint, and its sealed secrets. */
    public record Stored(Endpoint endpoint, String sealedSecret, Optional<String> sealedPrevious,
            Optional<Instant> previousExpiresAt) {
    }

    private static final String COLUMNS = "id, url, description, event_types, labels, headers, rate_limit_per_second,"
            + " max_concurrency, secret, previous_secret, previous_secret_expires_at, disabled, disabled_reason,"
            + " disabled_at, failing_since, failure_count, created_at, updated_at, test_mode";

    private static final String INSERT = "INSERT INTO irisx_webhook_endpoints (tenant_id, " + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, FALSE, NULL, NULL, NULL, 0, ?, ?, ?)";

    private static final String UPDATE = "UPDATE irisx_webhook_endpoints SET url = ?, description = ?, event_types = ?,"
            + " labels = ?, headers = ?, rate_limit_per_second = ?, max_concurrency = ?, updated_at = ?"
            + " WHERE tenant_id = ? AND id = ?";

    /** Matches the endpoints receiving an event type: the JSON array holds its quoted name, or there is no filter. */
    private static final String RECEIVES = "(event_types IS NULL OR POSITION(? IN event_types) > 0)";

    private EndpointRows() {
    }

    public static void insert(Connection connection, TenantId tenant, Endpoint endpoint, String sealedSecret)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bindSettings(Params.of(insert).id(tenant).id(endpoint.id()), endpoint).string(sealedSecret)
                    .instant(endpoint.createdAt()).instant(endpoint.updatedAt()).bool(endpoint.testMode());
            insert.executeUpdate();
        }
    }

    public static Optional<Stored> find(Connection connection, TenantId tenant, EndpointId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM irisx_webhook_endpoints WHERE tenant_id = ? AND id = ?")) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.first(select, EndpointRows::read);
        }
    }

    /** Up to {@code limit} endpoints in id order after {@code after}, matching {@code filter}. */
    public static List<Endpoint> list(Connection connection, TenantId tenant, EndpointFilter filter,
            Optional<EndpointId> after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
                + " FROM irisx_webhook_endpoints WHERE tenant_id = ?");
        after.ifPresent(id -> sql.append(" AND id > ?"));
        filter.disabled().ifPresent(disabled -> sql.append(" AND disabled = ?"));
        filter.eventType().ifPresent(type -> sql.append(" AND ").append(RECEIVES));
        sql.append(" ORDER BY id LIMIT ?");
        try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
            Params params = Params.of(select).id(tenant);
            if (after.isPresent()) {
                params.id(after.get());
            }
            if (filter.disabled().isPresent()) {
                params.bool(filter.disabled().get());
            }
            if (filter.eventType().isPresent()) {
                params.string(JsonColumns.quoted(filter.eventType().get()));
            }
            params.intValue(limit);
            return Jdbc.list(select, row -> read(row).endpoint());
        }
    }

    /**
     * The ids of the tenant's enabled endpoints of the given mode (test endpoints when {@code testMode}, else live
     * ones) that receive {@code eventType}, in id order.
     */
    static List<EndpointId> receiving(Connection connection, TenantId tenant, String eventType, boolean testMode)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_webhook_endpoints"
                + " WHERE tenant_id = ? AND disabled = FALSE AND test_mode = ? AND " + RECEIVES + " ORDER BY id")) {
            Params.of(select).id(tenant).bool(testMode).string(JsonColumns.quoted(eventType));
            return Jdbc.list(select, row -> row.id("id", EndpointId::parse));
        }
    }

    /** Writes the endpoint's settings (URL, description, filter, labels, headers, limits) and its update time. */
    public static void updateSettings(Connection connection, TenantId tenant, Endpoint endpoint) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            bindSettings(Params.of(update), endpoint).instant(endpoint.updatedAt()).id(tenant).id(endpoint.id());
            update.executeUpdate();
        }
    }

    public static void updateSecrets(Connection connection, TenantId tenant, EndpointId id, String sealedSecret,
            String sealedPrevious, Instant previousExpiresAt, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints SET secret = ?,"
                + " previous_secret = ?, previous_secret_expires_at = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND id = ?")) {
            Params.of(update).string(sealedSecret).string(sealedPrevious).instant(previousExpiresAt).instant(now)
                    .id(tenant).id(id);
            update.executeUpdate();
        }
    }

    /** Disables an enabled endpoint; false when there is no such endpoint or it was disabled already. */
    static boolean disable(Connection connection, TenantId tenant, EndpointId id, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints"
                + " SET disabled = TRUE, disabled_reason = ?, disabled_at = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND id = ? AND disabled = FALSE")) {
            Params.of(update).string(reason).instant(now).instant(now).id(tenant).id(id);
            return update.executeUpdate() == 1;
        }
    }

    /** Enables an endpoint with a clean failure record; false when there is no such endpoint or it was enabled. */
    public static boolean enable(Connection connection, TenantId tenant, EndpointId id, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints"
                + " SET disabled = FALSE, disabled_reason = NULL, disabled_at = NULL, failing_since = NULL,"
                + " failure_count = 0, updated_at = ?"
                + " WHERE tenant_id = ? AND id = ? AND disabled = TRUE")) {
            Params.of(update).instant(now).id(tenant).id(id);
            return update.executeUpdate() == 1;
        }
    }

    /** Counts a failed delivery, starting the failing run if none is under way; false when there is no endpoint. */
    static boolean markFailure(Connection connection, TenantId tenant, EndpointId id, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints"
                + " SET failing_since = COALESCE(failing_since, ?), failure_count = failure_count + 1"
                + " WHERE tenant_id = ? AND id = ?")) {
            Params.of(update).instant(now).id(tenant).id(id);
            return update.executeUpdate() == 1;
        }
    }

    /** Ends a failing run; writes nothing when the endpoint was not failing (the common case). */
    static void markSuccess(Connection connection, TenantId tenant, EndpointId id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_webhook_endpoints"
                + " SET failing_since = NULL, failure_count = 0 WHERE tenant_id = ? AND id = ?"
                + " AND (failing_since IS NOT NULL OR failure_count <> 0)")) {
            Params.of(update).id(tenant).id(id);
            update.executeUpdate();
        }
    }

    /** Deletes the endpoint with its messages and their attempts; false when there is no such endpoint. */
    public static boolean delete(Connection connection, TenantId tenant, EndpointId id) throws SQLException {
        for (String table : List.of("irisx_webhook_attempts", "irisx_webhook_messages")) {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE tenant_id = ? AND endpoint_id = ?")) {
                Params.of(delete).id(tenant).id(id);
                delete.executeUpdate();
            }
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM irisx_webhook_endpoints WHERE tenant_id = ? AND id = ?")) {
            Params.of(delete).id(tenant).id(id);
            return delete.executeUpdate() == 1;
        }
    }

    /** Binds URL, description, event types, labels, headers, rate limit and concurrency next. */
    private static Params bindSettings(Params params, Endpoint endpoint) throws SQLException {
        return params.string(endpoint.url()).string(endpoint.description())
                .string(endpoint.receivesAllEventTypes()
                        ? Optional.empty() : Optional.of(JsonColumns.names(endpoint.eventTypes())))
                .string(JsonColumns.names(endpoint.labels())).string(JsonColumns.headers(endpoint.headers()))
                .intValue(endpoint.rateLimitPerSecond()).intValue(endpoint.maxConcurrency());
    }

    private static Stored read(Row row) throws SQLException {
        Optional<String> eventTypes = row.optionalString("event_types");
        Endpoint endpoint = new Endpoint(row.id("id", EndpointId::parse), row.string("url"),
                row.string("description"), eventTypes.map(JsonColumns::names).orElse(Set.of()),
                JsonColumns.names(row.string("labels")), JsonColumns.headers(row.string("headers")),
                row.optionalInt("rate_limit_per_second"), row.optionalInt("max_concurrency"), row.bool("test_mode"),
                row.bool("disabled"),
                row.optionalString("disabled_reason"), row.optionalInstant("disabled_at"),
                row.optionalInstant("failing_since"), row.intValue("failure_count"), row.instant("created_at"),
                row.instant("updated_at"));
        return new Stored(endpoint, row.string("secret"), row.optionalString("previous_secret"),
                row.optionalInstant("previous_secret_expires_at"));
    }
}
