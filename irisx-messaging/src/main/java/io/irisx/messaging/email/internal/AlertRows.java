package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.store.Params;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The alerts raised per tenant, sending domain and level. Not API. */
final class AlertRows {

    private AlertRows() {
    }

    /**
     * Notes the alert raised at {@code now}; false when it was raised within {@code windowMillis} before, so it is
     * not raised again. The row is locked, so two processes recording complaints at once raise it once.
     */
    static boolean raise(Connection connection, TenantId tenant, String domain, String level, long now,
            long windowMillis) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_alerts"
                + " (tenant_id, domain, level, raised_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).string(domain).string(level).longValue(now);
            if (insert.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT raised_at FROM irisx_email_alerts"
                + " WHERE tenant_id = ? AND domain = ? AND level = ? FOR UPDATE")) {
            Params.of(select).id(tenant).string(domain).string(level);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next() || rs.getLong("raised_at") > now - windowMillis) {
                    return false;
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_email_alerts SET raised_at = ?"
                + " WHERE tenant_id = ? AND domain = ? AND level = ?")) {
            Params.of(update).longValue(now).id(tenant).string(domain).string(level);
            return update.executeUpdate() == 1;
        }
    }
}
