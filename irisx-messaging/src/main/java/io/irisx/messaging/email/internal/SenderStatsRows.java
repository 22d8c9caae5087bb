package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.store.Params;
import io.irisx.messaging.email.SenderStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Counting a tenant's sender numbers per sending domain from its emails and their history. Not API. */
public final class SenderStatsRows {

    /** The sending domain of an email row {@code m}: its From address after the {@code @}, lower case. */
    private static final String DOMAIN = "LOWER(SUBSTRING(m.from_address FROM POSITION('@' IN m.from_address) + 1))";
    private static final String REPORTS = "'email.delivered', 'email.bounced', 'email.complained',"
            + " 'email.unsubscribed', 'email.opened', 'email.clicked'";

    private SenderStatsRows() {
    }

    /** The numbers of each of the tenant's sending domains (or of {@code domain} only) over [from, to). */
    public static List<SenderStats> stats(Connection connection, TenantId tenant, Instant from, Instant to,
            Optional<String> domain) throws SQLException {
        Map<String, long[]> counts = new TreeMap<>();
        String onDomain = domain.isPresent() ? " AND " + DOMAIN + " = ?" : "";
        try (PreparedStatement select = connection.prepareStatement("SELECT " + DOMAIN + " AS domain, COUNT(*) AS n"
                + " FROM irisx_email_messages m WHERE m.tenant_id = ? AND m.sent_at >= ? AND m.sent_at < ?" + onDomain
                + " GROUP BY " + DOMAIN)) {
            Params params = Params.of(select).id(tenant).instant(from).instant(to);
            if (domain.isPresent()) {
                params.string(domain.get());
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString("domain"), d -> new long[8])[0] = rs.getLong("n");
                }
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT " + DOMAIN + " AS domain,"
                + " h.event_type AS event_type, h.report_kind AS report_kind,"
                + " COUNT(DISTINCT h.message_id || ' ' || COALESCE(h.recipient, '')) AS n"
                + " FROM irisx_email_status_history h JOIN irisx_email_messages m"
                + " ON m.tenant_id = h.tenant_id AND m.id = h.message_id"
                + " WHERE h.tenant_id = ? AND h.occurred_at >= ? AND h.occurred_at < ? AND h.event_type IN (" + REPORTS
                + ")" + onDomain + " GROUP BY " + DOMAIN + ", h.event_type, h.report_kind")) {
            Params params = Params.of(select).id(tenant).instant(from).instant(to);
            if (domain.isPresent()) {
                params.string(domain.get());
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    int slot = slot(rs.getString("event_type"), rs.getString("report_kind"));
                    if (slot > 0) {
                        counts.computeIfAbsent(rs.getString("domain"), d -> new long[8])[slot] += rs.getLong("n");
                    }
                }
            }
        }
        List<SenderStats> stats = new ArrayList<>();
        counts.forEach((name, n) -> stats.add(new SenderStats(name, from, to, n[0], n[1], n[2], n[3], n[4], n[5],
                n[6], n[7])));
        return stats;
    }

    /** Where a report counts: 1 delivered, 2 hard, 3 soft, 4 complaints, 5 unsubscribes, 6 opens, 7 clicks; 0 none. */
    private static int slot(String eventType, String reportKind) {
        String kind = reportKind == null ? "" : reportKind;
        return switch (eventType) {
            case "email.delivered" -> 1;
            // A bounce reported before kinds were kept counts as hard: the provider refused the email for good.
            case "email.bounced" -> kind.equals("SOFT_BOUNCE") ? 3 : 2;
            case "email.complained" -> 4;
            case "email.unsubscribed" -> 5;
            case "email.opened" -> kind.equals("MACHINE_OPEN") ? 0 : 6;
            case "email.clicked" -> 7;
            default -> 0;
        };
    }
}
