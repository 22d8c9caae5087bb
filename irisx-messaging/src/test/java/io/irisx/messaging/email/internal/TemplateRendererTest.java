package io.irisx.messaging.email.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A template saved before IRISX checked templates completely may name a partial or parent, which the check now
 * refuses at save: rendering it fails with the template's field and the name it gives, whether missing variables
 * are allowed or not, and whatever the escaping.
 */
class TemplateRendererTest {

    @Test
    void aPartialSavedBeforeTheCheckFailsToRenderNamingIt() {
        for (boolean allowMissing : new boolean[] {false, true}) {
            for (boolean escapeHtml : new boolean[] {false, true}) {
                TemplateRenderer renderer = new TemplateRenderer(allowMissing);
                assertThatThrownBy(() -> renderer.render("t:1", "text", "Hi {{> footer}}", escapeHtml, Map.of()))
                        .isInstanceOf(IrisxValidationException.class)
                        .hasMessageContaining("text")
                        .hasMessageContaining("cannot be rendered")
                        .hasMessageContaining("partial or parent template 'footer'")
                        .hasMessageContaining("IRISX loads no other template");
            }
        }
    }

    @Test
    void aParentSavedBeforeTheCheckFailsToRenderNamingIt() {
        TemplateRenderer renderer = new TemplateRenderer(false);
        assertThatThrownBy(() -> renderer.render("t:2", "html", "{{< layout}}{{/layout}}", true, Map.of()))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("html")
                .hasMessageContaining("partial or parent template 'layout'");
    }
}
