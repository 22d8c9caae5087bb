package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.messaging.email.Engagement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reading and writing the links of tracked emails and their opens and clicks. Not API. */
public final class LinkRows {

    private LinkRows() {
    }

    /** Stores the links of a tracked email, by position. */
    public static void insertLinks(Connection connection, TenantId tenant, MessageId id, List<String> links)
            throws SQLException {
        if (links.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_links"
                + " (tenant_id, message_id, position, url) VALUES (?, ?, ?, ?)")) {
            for (int position = 0; position < links.size(); position++) {
                Params.of(insert).id(tenant).id(id).intValue(position).string(links.get(position));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The link of position {@code position} in the tenant's email {@code id}, if it has one. */
    public static Optional<String> link(Connection connection, TenantId tenant, MessageId id, int position)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT url FROM irisx_email_links"
                + " WHERE tenant_id = ? AND message_id = ? AND position = ?")) {
            Params.of(select).id(tenant).id(id).intValue(position);
            return Jdbc.first(select, row -> row.string("url"));
        }
    }

    /**
     * Counts one open ({@code position} -1) or click of {@code recipient}'s, machine or not.
     *
     * @return whether it is the first of its kind (recipient, kind, link and machine flag)
     */
    public static boolean count(Connection connection, TenantId tenant, MessageId id, String recipient,
            Engagement.Kind kind, int position, boolean machine, long now) throws SQLException {
        String address = recipient.toLowerCase(Locale.ROOT);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_engagements"
                + " (tenant_id, message_id, recipient, kind, position, machine, first_at, last_at, hits)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).id(id).string(address).enumName(kind).intValue(position).bool(machine)
                    .longValue(now).longValue(now);
            if (insert.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_email_engagements"
                + " SET hits = hits + 1, last_at = ? WHERE tenant_id = ? AND message_id = ? AND recipient = ?"
                + " AND kind = ? AND position = ? AND machine = ?")) {
            Params.of(update).longValue(now).id(tenant).id(id).string(address).enumName(kind).intValue(position)
                    .bool(machine);
            update.executeUpdate();
        }
        return false;
    }

    /** The opens and clicks of the tenant's email {@code id}: opens first, then clicks by link; humans first. */
    public static List<Engagement> engagements(Connection connection, TenantId tenant, MessageId id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT e.recipient, e.kind, e.position,"
                + " e.machine, e.first_at, e.last_at, e.hits, l.url FROM irisx_email_engagements e"
                + " LEFT JOIN irisx_email_links l ON l.tenant_id = e.tenant_id AND l.message_id = e.message_id"
                + " AND l.position = e.position WHERE e.tenant_id = ? AND e.message_id = ?"
                + " ORDER BY e.kind DESC, e.position, e.recipient, e.machine")) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.list(select, row -> {
                Engagement.Kind kind = row.enumValue("kind", Engagement.Kind.class);
                return new Engagement(kind, row.string("recipient"), kind == Engagement.Kind.CLICK
                        ? row.intValue("position") : -1, row.optionalString("url").orElse(""), row.bool("machine"),
                        row.instant("first_at"), row.instant("last_at"), row.longValue("hits"));
            });
        }
    }
}
