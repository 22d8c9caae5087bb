package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import io.irisx.messaging.email.EmailTemplate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
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
                "SELECT MAX(version) AS latest FROM irisx_email_templates WHERE tenant_id = ? AND template_id = ?")) {
            Params.of(select).id(tenant).string(id);
            version = Jdbc.first(select, row -> row.optionalInt("latest").orElse(0)).orElseThrow() + 1;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_templates (tenant_id, "
                + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Params.of(insert).id(tenant).string(id).intValue(version).string(subject).string(text).string(html)
                    .instant(now);
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
            Params params = Params.of(select).id(tenant).string(id);
            if (version != 0) {
                params.intValue(version);
            }
            return Jdbc.first(select, TemplateRows::read);
        }
    }

    /** Every version of a template, oldest first. */
    public static List<EmailTemplate> versions(Connection connection, TenantId tenant, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_email_templates WHERE tenant_id = ? AND template_id = ? ORDER BY version")) {
            Params.of(select).id(tenant).string(id);
            return Jdbc.list(select, TemplateRows::read);
        }
    }

    /** The latest version of each of the tenant's templates, by id. */
    public static List<EmailTemplate> latest(Connection connection, TenantId tenant) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_email_templates t WHERE tenant_id = ?"
                + " AND version = (SELECT MAX(version) FROM irisx_email_templates l"
                + " WHERE l.tenant_id = t.tenant_id AND l.template_id = t.template_id) ORDER BY template_id")) {
            Params.of(select).id(tenant);
            return Jdbc.list(select, TemplateRows::read);
        }
    }

    /** Deletes every version of a template; false when there was none. */
    public static boolean delete(Connection connection, TenantId tenant, String id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM irisx_email_templates WHERE tenant_id = ? AND template_id = ?")) {
            Params.of(delete).id(tenant).string(id);
            return delete.executeUpdate() > 0;
        }
    }

    private static EmailTemplate read(Row row) throws SQLException {
        return new EmailTemplate(row.string("template_id"), row.intValue("version"), row.string("subject"),
                row.string("text_body"), row.string("html_body"), row.instant("created_at"));
    }
}
