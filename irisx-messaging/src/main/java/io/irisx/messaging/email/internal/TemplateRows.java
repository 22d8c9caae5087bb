package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.messaging.email.EmailTemplate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading and writing the rows of {@code irisx_email_templates}. Not API. */
public final class TemplateRows {

    private static final String COLUMNS = "template_id, version, subject, text_body, html_body, created_at";

    private TemplateRows() {
    }

    /** Inserts the next version of a template and returns it. */
    public static EmailTemplate insertNext(Connection connection, TenantId tenant, String id, String subject,
            String text, String html, Instant now) throws SQLException {
        int version;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT MAX(version) FROM irisx_email_templates WHERE tenant_id = ? AND template_id = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, id);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                version = rs.getInt(1) + 1;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_templates (tenant_id, "
                + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, tenant.value());
            insert.setString(2, id);
            insert.setInt(3, version);
            insert.setString(4, subject);
            insert.setString(5, text);
            insert.setString(6, html);
            insert.setLong(7, now.toEpochMilli());
            insert.executeUpdate();
        }
        return new EmailTemplate(id, version, subject, text, html, now);
    }

    /** The template's version {@code version}, or its latest when {@code version} is 0. */
    public static Optional<EmailTemplate> find(Connection connection, TenantId tenant, String id, int version)
            throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM irisx_email_templates WHERE tenant_id = ? AND template_id = ?"
                + (version == 0 ? " ORDER BY version DESC LIMIT 1" : " AND version = ?");
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, tenant.value());
            select.setString(2, id);
            if (version != 0) {
                select.setInt(3, version);
            }
            List<EmailTemplate> found = read(select);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** Every version of a template, oldest first. */
    public static List<EmailTemplate> versions(Connection connection, TenantId tenant, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_email_templates WHERE tenant_id = ? AND template_id = ? ORDER BY version")) {
            select.setString(1, tenant.value());
            select.setString(2, id);
            return read(select);
        }
    }

    /** The latest version of each of the tenant's templates, by id. */
    public static List<EmailTemplate> latest(Connection connection, TenantId tenant) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_email_templates t WHERE tenant_id = ?"
                + " AND version = (SELECT MAX(version) FROM irisx_email_templates l"
                + " WHERE l.tenant_id = t.tenant_id AND l.template_id = t.template_id) ORDER BY template_id")) {
            select.setString(1, tenant.value());
            return read(select);
        }
    }

    /** Deletes every version of a template; false when there was none. */
    public static boolean delete(Connection connection, TenantId tenant, String id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM irisx_email_templates WHERE tenant_id = ? AND template_id = ?")) {
            delete.setString(1, tenant.value());
            delete.setString(2, id);
            return delete.executeUpdate() > 0;
        }
    }

    private static List<EmailTemplate> read(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            List<EmailTemplate> templates = new ArrayList<>();
            while (rs.next()) {
                templates.add(new EmailTemplate(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
            }
            return templates;
        }
    }
}
