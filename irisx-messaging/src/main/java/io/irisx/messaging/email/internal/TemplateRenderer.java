package io.irisx.messaging.email.internal;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.irisx.core.IrisxValidationException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders email templates with JMustache: HTML-escaped in HTML bodies, as they are in subjects and text; a variable
 * the template names but the send does not give is an error unless missing variables are allowed. Compiled
 * templates are kept by key, so a template is parsed once. Thread-safe. Not API.
 */
public final class TemplateRenderer {

    private static final int MAX_CACHED = 10_000;

    private final Mustache.Compiler html;
    private final Mustache.Compiler plain;
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();

    /** A renderer; with {@code allowMissingVariables}, a missing variable renders as empty text. */
    public TemplateRenderer(boolean allowMissingVariables) {
        Mustache.Compiler base = Mustache.compiler().strictSections(!allowMissingVariables);
        if (allowMissingVariables) {
            base = base.defaultValue("");
        }
        this.html = base.escapeHTML(true);
        this.plain = base.escapeHTML(false);
    }

    /** Whether a template part compiles; throws {@link IrisxValidationException} naming {@code field} if not. */
    public void check(String field, String source) {
        try {
            plain.compile(source);
        } catch (MustacheException e) {
            throw new IrisxValidationException(field, source.length() > 60 ? source.substring(0, 60) + "…" : source,
                    "is not a valid Mustache template: " + e.getMessage());
        }
    }

    /**
     * Renders {@code source}, compiled once under {@code key}; {@code field} names the part in errors.
     *
     * @param escapeHtml whether variables are HTML-escaped (the HTML body)
     */
    public String render(String key, String field, String source, boolean escapeHtml, Map<String, ?> variables) {
        Objects.requireNonNull(variables, "variables");
        if (source.isEmpty()) {
            return "";
        }
        String cacheKey = (escapeHtml ? "h:" : "p:") + key;
        Template template = compiled.get(cacheKey);
        if (template == null) {
            if (compiled.size() >= MAX_CACHED) {
                compiled.clear();
            }
            template = (escapeHtml ? html : plain).compile(source);
            compiled.put(cacheKey, template);
        }
        try {
            return template.execute(variables);
        } catch (MustacheException e) {
            throw new IrisxValidationException("variables", variables.keySet().toString(),
                    "do not fill the template's " + field + ": " + e.getMessage()
                            + " (give every variable it names, or allow missing variables on the client)");
        }
    }
}
