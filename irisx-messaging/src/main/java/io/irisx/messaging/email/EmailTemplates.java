package io.irisx.messaging.email;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.TenantId;
import io.irisx.messaging.email.internal.EmailStore;
import io.irisx.messaging.email.internal.TemplateRenderer;
import io.irisx.messaging.email.internal.TemplateRows;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One tenant's email templates, each kept with all its versions; thread-safe. Obtained from
 * {@link EmailClient#templates()}. An email names a template by id and is rendered with its latest version when it is
 * sent; {@link #preview} renders without sending.
 */
public final class EmailTemplates {

    private final TenantId tenant;
    private final EmailStore store;
    private final TemplateRenderer renderer;

    EmailTemplates(TenantId tenant, EmailStore store, TemplateRenderer renderer) {
        this.tenant = tenant;
        this.store = store;
        this.renderer = renderer;
    }

    /**
     * Saves a new version of template {@code id} (version 1 if it is new) and returns it. The subject is required,
     * and a text or an HTML body: pass {@code ""} for the body a template does not have (or use {@link #saveText} or
     * {@link #saveHtml}). Each part is checked completely before anything is stored: it must compile as Mustache,
     * use no partial ({@code {{> name}}}) nor template inheritance, name each variable and section with a valid name,
     * and render.
     *
     * @throws IrisxValidationException naming the part ({@code subject}, {@code text} or {@code html}) and the
     *     problem; nothing is stored
     */
    public EmailTemplate save(String id, String subject, String text, String html) {
        EmailMessage.checkTemplateId("id", Objects.requireNonNull(id, "id"));
        EmailMessage.line("subject", Objects.requireNonNull(subject, "subject"));
        EmailMessage.body("text", Objects.requireNonNull(text, "text: pass \"\" for a template with no text body"));
        EmailMessage.body("html", Objects.requireNonNull(html, "html: pass \"\" for a template with no HTML body"));
        if (subject.isBlank()) {
            throw new IrisxValidationException("subject", subject, "is required");
        }
        if (text.isEmpty() && html.isEmpty()) {
            throw new IrisxValidationException("text", "", "a text or html body is required");
        }
        renderer.check("subject", subject);
        renderer.check("text", text);
        renderer.check("html", html);
        return store.database().inTransaction(connection ->
                TemplateRows.insertNext(connection, tenant, id, subject, text, html, store.clock().instant()));
    }

    /** Saves a new version of template {@code id} with a plain-text body and no HTML body, as {@link #save} does. */
    public EmailTemplate saveText(String id, String subject, String text) {
        return save(id, subject, text, "");
    }

    /** Saves a new version of template {@code id} with an HTML body and no plain-text body, as {@link #save} does. */
    public EmailTemplate saveHtml(String id, String subject, String html) {
        return save(id, subject, "", html);
    }

    /** The latest version of template {@code id}; {@link NotFoundException} if the tenant has none. */
    public EmailTemplate get(String id) {
        return get(id, 0);
    }

    /** Version {@code version} of template {@code id}; {@link NotFoundException} if the tenant has none. */
    public EmailTemplate get(String id, int version) {
        Objects.requireNonNull(id, "id");
        if (version < 0) {
            throw new IllegalArgumentException("version must be positive, was " + version);
        }
        return store.database().withConnection(connection -> TemplateRows.find(connection, tenant, id, version))
                .orElseThrow(() -> new NotFoundException("email template", version == 0 ? id : id + " v" + version));
    }

    /** Every version of template {@code id}, oldest first; empty if the tenant has none. */
    public List<EmailTemplate> versions(String id) {
        Objects.requireNonNull(id, "id");
        return store.database().withConnection(connection -> TemplateRows.versions(connection, tenant, id));
    }

    /** The latest version of each of the tenant's templates, by id. */
    public List<EmailTemplate> list() {
        return store.database().withConnection(connection -> TemplateRows.latest(connection, tenant));
    }

    /** Deletes template {@code id} with all its versions; {@link NotFoundException} if the tenant has none. */
    public void delete(String id) {
        Objects.requireNonNull(id, "id");
        if (!store.database().inTransaction(connection -> TemplateRows.delete(connection, tenant, id))) {
            throw new NotFoundException("email template", id);
        }
    }

    /** Renders the latest version of template {@code id} with {@code variables}, without sending anything. */
    public RenderedEmail preview(String id, Map<String, ?> variables) {
        return render(get(id), variables);
    }

    /**
     * Renders {@code template} (a version read before, from {@link #get} or {@link #versions}) with
     * {@code variables}, as an email sent with it would carry, without reading the database; its parts are compiled
     * once and kept.
     */
    public RenderedEmail render(EmailTemplate template, Map<String, ?> variables) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(variables, "variables");
        // A deleted template's id may be saved again from version 1: the save time tells the two apart.
        String key = tenant.value() + '/' + template.id() + '/' + template.version() + '/'
                + template.createdAt().toEpochMilli() + '/';
        String subject = renderer.render(key + "subject", "subject", template.subject(), false, variables);
        EmailMessage.line("subject", subject);
        // A variable may carry what a body may not (NUL): the rendered bodies are checked as given ones are.
        return new RenderedEmail(template.id(), template.version(), subject,
                EmailMessage.body("text", renderer.render(key + "text", "text", template.text(), false, variables)),
                EmailMessage.body("html", renderer.render(key + "html", "html", template.html(), true, variables)));
    }

    @Override
    public String toString() {
        return "EmailTemplates[" + tenant + "]";
    }
}
