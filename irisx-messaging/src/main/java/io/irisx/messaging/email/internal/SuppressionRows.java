package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.messaging.email.EmailStream;
import io.irisx.messaging.email.Suppression;
import io.irisx.messaging.internal.Columns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reading and writing a tenant's email suppression list. Not API. */
public final class SuppressionRows {

    private static final String COLUMNS = "address, stream, reason, source, detail, created_at";

    private SuppressionRows() {
    }

    /**
     * Suppresses {@code address} on {@code stream}; false when it already was (the first reason stays).
     */
    public static boolean add(Connection connection, TenantId tenant, EmailStream stream, String address,
            Suppression.Reason reason, String source, String detail, long now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_suppressions"
                + " (tenant_id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).string(address.toLowerCase(Locale.ROOT)).enumName(stream).enumName(reason)
                    .string(Columns.cut(source)).string(Columns.cut(detail)).longValue(now);
            return insert.executeUpdate() == 1;
        }
    }

    /** Suppresses {@code address} on every stream. */
    public static void addEverywhere(Connection connection, TenantId tenant, String address, Suppression.Reason reason,
            String source, String detail, long now) throws SQLException {
        for (EmailStream stream : EmailStream.values()) {
            add(connection, tenant, stream, address, reason, source, detail, now);
        }
    }

    /** Takes {@code address} off {@code stream}'s list; false when it was not on it. */
    public static boolean remove(Connection connection, TenantId tenant, EmailStream stream, String address)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM irisx_email_suppressions"
                + " WHERE tenant_id = ? AND stream = ? AND address = ?")) {
            Params.of(delete).id(tenant).enumName(stream).string(address.toLowerCase(Locale.ROOT));
            return delete.executeUpdate() == 1;
        }
    }

    /** The suppressions of {@code addresses} on {@code stream}. */
    public static List<Suppression> find(Connection connection, TenantId tenant, EmailStream stream,
            Collection<String> addresses) throws SQLException {
        if (addresses.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_email_suppressions WHERE tenant_id = ? AND stream = ? AND address IN ("
                + "?, ".repeat(addresses.size() - 1) + "?) ORDER BY address")) {
            Params params = Params.of(select).id(tenant).enumName(stream);
            for (String address : addresses) {
                params.string(address.toLowerCase(Locale.ROOT));
            }
            return Jdbc.list(select, SuppressionRows::suppression);
        }
    }

    /** Up to {@code limit} of {@code stream}'s suppressions, by address, after {@code after}. */
    public static List<Suppression> list(Connection connection, TenantId tenant, EmailStream stream, int limit,
            Optional<String> after) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_email_suppressions WHERE tenant_id = ? AND stream = ? AND address > ?"
                + " ORDER BY address LIMIT " + limit)) {
            Params.of(select).id(tenant).enumName(stream).string(after.orElse(""));
            return Jdbc.list(select, SuppressionRows::suppression);
        }
    }

    private static Suppression suppression(io.irisx.core.store.Row row) throws SQLException {
        return new Suppression(row.string("address"), row.enumValue("stream", EmailStream.class),
                row.enumValue("reason", Suppression.Reason.class), row.string("source"), row.string("detail"),
                row.instant("created_at"));
    }
}
