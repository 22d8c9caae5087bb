package io.irisx.messaging.email.internal;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.irisx.core.IrisxValidationException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Renders email templates with JMustache: HTML-escaped in HTML bodies, as they are in subjects and text; a variable
 * the template names but the send does not give is an error unless missing variables are allowed. Compiled
 * templates are kept by key, so a template is parsed once. Thread-safe. Not API.
 *
 * <p>{@link #check} refuses at save what would fail at every render: a source JMustache cannot compile (an empty
 * tag, a malformed delimiter change, an unclosed section), partials and template inheritance (IRISX loads no other
 * template), and names that cannot name a variable ({@code {{a..b}}}, {@code {{..}}}, {@code {{a b}}}).
 */
public final class TemplateRenderer {

    private static final int MAX_CACHED = 10_000;
    /** {@code .}, or dotted names of letters, digits and {@code _ $ @ -} (JMustache's {@code -first}, {@code this}). */
    private static final Pattern NAME = Pattern.compile("\\.|[\\p{L}\\p{N}_$@-]+(\\.[\\p{L}\\p{N}_$@-]+)*");
    private static final int SHOWN = 60;
    /**
     * Where JMustache loads a partial or parent from when a template names one: nowhere, as IRISX loads no other
     * template. {@link #check} refuses such templates at save; one saved before it did fails to render, naming it.
     */
    private static final Mustache.TemplateLoader NO_OTHER_TEMPLATE = name -> {
        throw new OtherTemplateNamed(name);
    };

    private final Mustache.Compiler html;
    private final Mustache.Compiler plain;
    /** Renders a checked template with no variables, to be sure it renders: missing variables are empty. */
    private final Mustache.Compiler trial = Mustache.compiler().withLoader(NO_OTHER_TEMPLATE).defaultValue("")
            .escapeHTML(false);
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();

    /** A renderer; with {@code allowMissingVariables}, a missing variable renders as empty text. */
    public TemplateRenderer(boolean allowMissingVariables) {
        Mustache.Compiler base = Mustache.compiler().withLoader(NO_OTHER_TEMPLATE)
                .strictSections(!allowMissingVariables);
        if (allowMissingVariables) {
            base = base.defaultValue("");
        }
        this.html = base.escapeHTML(true);
        this.plain = base.escapeHTML(false);
    }

    /**
     * Checks a template part completely: it compiles, uses no partial, parent or block, names every variable and
     * section with a valid name, and renders; throws {@link IrisxValidationException} naming {@code field} and the
     * problem if not.
     */
    public void check(String field, String source) {
        Template template = compile(trial, field, source);
        template.visit(new NameCheck(field, source));
        try {
            template.execute(Map.of());
        } catch (RuntimeException e) {
            throw new IrisxValidationException(field, shown(source), "cannot be rendered: " + describe(e));
        }
    }

    /**
     * Renders {@code source}, compiled once under {@code key}; {@code field} names the part in errors.
     *
     * @param escapeHtml whether variables are HTML-escaped (the HTML body)
     * @throws IrisxValidationException when the variables do not fill the template, or the template (saved before
     *     IRISX checked templates completely) cannot be rendered
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
            template = compile(escapeHtml ? html : plain, field, source);
            compiled.put(cacheKey, template);
        }
        try {
            return template.execute(variables);
        } catch (MustacheException e) {
            throw new IrisxValidationException("variables", variables.keySet().toString(),
                    "do not fill the template's " + field + ": " + e.getMessage()
                            + " (give every variable it names, or allow missing variables on the client)");
        } catch (RuntimeException e) {
            throw new IrisxValidationException(field, shown(source),
                    "cannot be rendered: " + describe(e) + " (save a corrected version of the template)");
        }
    }

    private static Template compile(Mustache.Compiler compiler, String field, String source) {
        try {
            return compiler.compile(source);
        } catch (RuntimeException e) {
            // JMustache throws more than MustacheException on malformed tags ({{ }}, {{=}}).
            throw new IrisxValidationException(field, shown(source), "is not a valid Mustache template: "
                    + (e instanceof MustacheException ? e.getMessage() : "a tag is empty or malformed"));
        }
    }

    private static String shown(String source) {
        return source.length() > SHOWN ? source.substring(0, SHOWN) + "…" : source;
    }

    /**
     * What a template's failure to render tells its author: the message of an error about the template (JMustache's
     * own, or a partial or parent named), and of any other exception only its type.
     */
    private static String describe(RuntimeException e) {
        return e instanceof MustacheException || e instanceof OtherTemplateNamed
                ? String.valueOf(e.getMessage()) : e.getClass().getSimpleName();
    }

    /** A template named another, {@code name}, as a partial or parent: IRISX loads no other template. */
    private static final class OtherTemplateNamed extends RuntimeException {

        OtherTemplateNamed(String name) {
            super("it names the partial or parent template '" + name + "', and IRISX loads no other template: put"
                    + " the text in the template", null, false, false);
        }
    }

    /** Refuses partials, inheritance and malformed names wherever they are, sections included. */
    private record NameCheck(String field, String source) implements Mustache.Visitor {

        @Override
        public void visitText(String text) {
            // Plain text between tags can hold anything: nothing to check.
        }

        @Override
        public void visitVariable(String name) {
            checkName("variable", name);
        }

        @Override
        public boolean visitInclude(String name) {
            throw new IrisxValidationException(field, shown(source),
                    "uses the partial {{> " + name + "}}: partials are not supported, put the text in the template");
        }

        @Override
        public boolean visitParent(String name) {
            throw new IrisxValidationException(field, shown(source),
                    "uses the parent {{< " + name + "}}: template inheritance is not supported");
        }

        @Override
        public boolean visitBlock(String name) {
            throw new IrisxValidationException(field, shown(source),
                    "uses the block {{$" + name + "}}: template inheritance is not supported");
        }

        @Override
        public boolean visitSection(String name) {
            checkName("section", name);
            return true;
        }

        @Override
        public boolean visitInvertedSection(String name) {
            checkName("inverted section", name);
            return true;
        }

        private void checkName(String kind, String name) {
            if (!NAME.matcher(name).matches()) {
                throw new IrisxValidationException(field, shown(source), "has a " + kind + " named '" + name
                        + "', which names no variable: use letters, digits, '_', '-', '$' or '@', parts joined by"
                        + " single dots, or '.'");
            }
        }
    }
}
