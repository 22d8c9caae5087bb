package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.TenantId;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link EmailTemplates#save} refuses, and that whatever it saves renders: every part is checked completely at
 * save, so a preview or a send never meets a template that cannot be rendered.
 */
class EmailTemplatesTest {

    private static final Map<String, Object> VARIABLES = Map.of("name", "Ada", "a", "x",
            "b", List.of(Map.of("c", "y"), Map.of("c", "z")), "plan", Map.of("tier", "pro"));

    private MessagingFixture fixture;
    private EmailClient strict;
    private EmailClient lenient;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        strict = fixture.emailClient("acme");
        lenient = EmailClient.builder().allowMissingVariables(true)
                .build(fixture.emailStore, fixture.irisx.outbox(), TenantId.of("acme"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{=}}", "{{ }}", "{{}}", "{{> footer}}", "Hi {{#a}}{{> footer}}{{/a}}", "{{name..x}}",
            "{{..}}", "{{first name}}", "{{.a}}", "{{a.}}", "{{#}}{{/}}", "{{&}}", "{{{}}}", "{{< base}}{{/base}}",
            "{{$block}}x{{/block}}", "{{#a}}unclosed", "{{/a}}", "{{{a}}", "{{=<% %>=}}<%a..b%>"})
    void a_part_that_would_fail_at_render_is_refused_at_save_naming_the_part(String source) {
        assertRefusedAt("text", () -> strict.templates().save("t", "Welcome", source, ""));
        assertRefusedAt("html", () -> strict.templates().save("t", "Welcome", "", source));
        assertRefusedAt("subject", () -> strict.templates().save("t", source, "Hello", ""));
        assertThat(strict.templates().list()).isEmpty();
    }

    @Test
    void the_refusal_says_what_is_wrong() {
        assertThatThrownBy(() -> strict.templates().save("t", "Welcome", "Hi {{> footer}}", ""))
                .isInstanceOf(IrisxValidationException.class).hasMessageContaining("partial")
                .hasMessageContaining("footer");
        assertThatThrownBy(() -> strict.templates().save("t", "Welcome", "Hi {{name..x}}", ""))
                .isInstanceOf(IrisxValidationException.class).hasMessageContaining("'name..x'");
        assertThatThrownBy(() -> strict.templates().save("t", "Welcome", "Hi {{=}}", ""))
                .isInstanceOf(IrisxValidationException.class).hasMessageContaining("not a valid Mustache template");
    }

    @Test
    void a_delimiter_change_and_dotted_names_are_kept_and_rendered() {
        strict.templates().save("t", "Hi {{plan.tier}}", "{{=<% %>=}}Hello <%name%>{{literal}}", "");
        RenderedEmail rendered = strict.templates().preview("t", VARIABLES);
        assertThat(rendered.subject()).isEqualTo("Hi pro");
        assertThat(rendered.text()).isEqualTo("Hello Ada{{literal}}");
    }

    @Test
    void text_only_and_html_only_templates_are_saved_previewed_and_sent() {
        strict.templates().saveText("plain", "Welcome", "Hello {{name}}");
        strict.templates().saveHtml("rich", "Welcome", "<p>Hello {{name}}</p>");

        assertThat(strict.templates().preview("plain", VARIABLES).html()).isEmpty();
        assertThat(strict.templates().preview("rich", VARIABLES).text()).isEmpty();
        Email plain = strict.get(strict.send(EmailMessage.builder().from("hello@acme.example").to("ada@example.com")
                .template("plain", VARIABLES).build()));
        assertThat(plain.text()).isEqualTo("Hello Ada");
        assertThat(plain.html()).isEmpty();
        Email rich = strict.get(strict.send(EmailMessage.builder().from("hello@acme.example").to("ada@example.com")
                .template("rich", VARIABLES).build()));
        assertThat(rich.html()).isEqualTo("<p>Hello Ada</p>");
        assertThatThrownBy(() -> strict.templates().save("t", "Welcome", "Hello", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("pass \"\" for a template with no HTML");
    }

    /**
     * Random sources, dense in Mustache's tag characters: each is either refused with an IrisxValidationException or
     * saved, and a saved one renders (with missing variables allowed) and previews strictly without anything but an
     * IrisxValidationException.
     */
    @Test
    void any_source_is_either_refused_with_a_validation_error_or_saved_and_rendered() {
        String[] pieces = {"{{", "}}", "{{{", "}}}", "{{#", "{{/", "{{^", "{{>", "{{<", "{{$", "{{=", "{{&", "{{!",
            "{", "}", "a", "b", "c", "name", "plan", "tier", ".", "..", " ", "=", "<%", "%>", "\n", "x", "#", "/",
            "-first", "this", "é", "\t"};
        Random random = new Random(20301);
        int saved = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder source = new StringBuilder();
            for (int n = random.nextInt(14); n > 0; n--) {
                source.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = source.toString();
            String id = "t" + i;
            boolean html = random.nextBoolean();
            try {
                if (html) {
                    strict.templates().saveHtml(id, "Welcome", text);
                } else {
                    strict.templates().saveText(id, "Welcome", text);
                }
            } catch (IrisxValidationException refused) {
                assertThat(refused.field()).as(text).isIn("text", "html");
                assertThat(strict.templates().versions(id)).as(text).isEmpty();
                continue;
            } catch (RuntimeException other) {
                throw new AssertionError("saving " + show(text) + " threw " + other, other);
            }
            saved++;
            try {
                lenient.templates().preview(id, VARIABLES);
                lenient.templates().preview(id, Map.of());
            } catch (RuntimeException e) {
                throw new AssertionError("the saved " + show(text) + " does not render: " + e, e);
            }
            try {
                strict.templates().preview(id, VARIABLES);
            } catch (IrisxValidationException expected) {
                assertThat(expected.field()).as(text).isIn("variables", "subject", "text", "html");
            } catch (RuntimeException e) {
                throw new AssertionError("the saved " + show(text) + " fails a strict preview with " + e, e);
            }
        }
        // The generator makes both kinds: the property is not vacuous.
        assertThat(saved).isBetween(300, 2700);
        assertThat(strict.templates().list()).hasSize(saved);
    }

    private static String show(String text) {
        return "'" + text.replace("\n", "\\n").replace("\t", "\\t") + "'";
    }

    private static void assertRefusedAt(String part, org.junit.jupiter.api.function.Executable save) {
        try {
            save.execute();
        } catch (IrisxValidationException e) {
            assertThat(e.field()).isEqualTo(part);
            return;
        } catch (Throwable other) {
            throw new AssertionError("expected an IrisxValidationException naming " + part + ", got " + other, other);
        }
        throw new AssertionError("expected an IrisxValidationException naming " + part + ", the part was saved");
    }
}
