package io.irisx.messaging.internal;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The updates the email and SMS stores make alike to a message still QUEUED, each on its own table: a failed try
 * recorded, or the message held for a provider that may have accepted it. Stateless; not API.
 */
public final class QueuedRows {

    private QueuedRows() {
    }

    /**
     * Records try {@code attempts} of the tenant's message {@code id} in {@code table}, which failed with
     * {@code error}; false when the message is no longer QUEUED.
     */
    public static boolean recordTry(Connection connection, String table, TenantId tenant, MessageId id, int attempts,
            String error, long now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET attempts = ?,"
                + " last_error = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'QUEUED'")) {
            update.setInt(1, attempts);
            update.setString(2, Columns.cut(error));
            update.setLong(3, now);
            update.setString(4, tenant.value());
            update.setString(5, id.value());
            return update.executeUpdate() == 1;
        }
    }

    /**
     * Holds the tenant's message {@code id} in {@code table} for {@code provider}, which may have accepted it before
     * failing with {@code error} at try {@code attempts}: marked as a possible duplicate. False when the message is
     * no longer QUEUED.
     */
    public static boolean hold(Connection connection, String table, TenantId tenant, MessageId id, String provider,
            int attempts, String error, long now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET provider = ?,"
                + " attempts = ?, possible_duplicate = TRUE, last_error = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND id = ? AND status = 'QUEUED'")) {
            update.setString(1, provider);
            update.setInt(2, attempts);
            update.setString(3, Columns.cut(error));
            update.setLong(4, now);
            update.setString(5, tenant.value());
            update.setString(6, id.value());
            return update.executeUpdate() == 1;
        }
    }
}
