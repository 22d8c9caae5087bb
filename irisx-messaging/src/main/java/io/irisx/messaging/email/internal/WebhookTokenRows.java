package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.store.Params;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The one-time tokens of signed provider webhooks a tenant has seen ({@code irisx_email_webhook_tokens}). Not API. */
final class WebhookTokenRows {

    private WebhookTokenRows() {
    }

    /** Notes {@code token}, kept until {@code keepUntil} (epoch milliseconds); false when the tenant noted it before. */
    static boolean insert(Connection connection, TenantId tenant, String provider, String token, long keepUntil)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_webhook_tokens"
                + " (tenant_id, provider, token, keep_until) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).string(provider).string(token).longValue(keepUntil);
            return insert.executeUpdate() == 1;
        }
    }

    /** Drops the tenant's tokens of {@code provider} kept until before {@code now} (epoch milliseconds). */
    static int prune(Connection connection, TenantId tenant, String provider, long now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM irisx_email_webhook_tokens"
                + " WHERE tenant_id = ? AND provider = ? AND keep_until < ?")) {
            Params.of(delete).id(tenant).string(provider).longValue(now);
            return delete.executeUpdate();
        }
    }
}
