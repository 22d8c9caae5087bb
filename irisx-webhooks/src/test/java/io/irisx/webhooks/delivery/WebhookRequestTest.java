package io.irisx.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.webhooks.signing.WebhookSecret;
import io.irisx.webhooks.signing.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The values of one webhook request, checked when it is made. */
class WebhookRequestTest {

    private static final WebhookSigner SIGNER = WebhookSigner.of(WebhookSecret.generate());
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    @Test
    @DisplayName("Every value is required")
    void values_are_required() {
        assertThatThrownBy(() -> new WebhookRequest(null, "evt_1", BODY, SIGNER, Map.of())).hasMessage("url");
        assertThatThrownBy(() -> new WebhookRequest("https://a.test", null, BODY, SIGNER, Map.of())).hasMessage("webhookId");
        assertThatThrownBy(() -> new WebhookRequest("https://a.test", "evt_1", null, SIGNER, Map.of())).hasMessage("body");
        assertThatThrownBy(() -> new WebhookRequest("https://a.test", "evt_1", BODY, (WebhookSigner) null, Map.of()))
                .hasMessage("signer");
        assertThatThrownBy(() -> new WebhookRequest("https://a.test", "evt_1", BODY, SIGNER, null)).hasMessage("headers");
        assertThatThrownBy(() -> new WebhookRequest("https://a.test", "evt_1", BODY, List.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one key");
    }

    @Test
    @DisplayName("A URL that is not absolute http(s), or a header HTTP cannot carry, is refused")
    void bad_values_are_refused() {
        assertThatThrownBy(() -> new WebhookRequest("ftp://a.test/in", "evt_1", BODY, SIGNER, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url").hasMessageContaining("ftp://a.test/in");
        assertThatThrownBy(() -> new WebhookRequest("https://a.test", "", BODY, SIGNER, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhookId");
        assertThatThrownBy(() -> new WebhookRequest("https://a.test", "evt_1", BODY, SIGNER,
                Map.of("X-Injected", "a\r\nX-Evil: 1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headers");
    }

    @Test
    @DisplayName("The body and headers are copied, so later changes by the caller do not reach the request")
    void values_are_copied() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(Map.of("X-A", "1"));
        WebhookRequest request = new WebhookRequest("https://a.test", "evt_1", body, SIGNER, headers);

        body[0] = 'X';
        headers.put("X-B", "2");
        request.body()[1] = 'Y';

        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(request.headers()).containsOnlyKeys("X-A");
    }

    @Test
    @DisplayName("toString shows header names but never their values, nor the body")
    void to_string_hides_values() {
        WebhookRequest request = new WebhookRequest("https://a.test/in", "evt_1", BODY, SIGNER,
                Map.of("Authorization", "Bearer s3cret"));

        assertThat(request.toString()).contains("evt_1", "Authorization", "2 bytes").doesNotContain("s3cret");
    }

    @Test
    @DisplayName("Reserved header names are recognised in any case")
    void reserved_names() {
        assertThat(WebhookRequest.isReserved("Webhook-Signature")).isTrue();
        assertThat(WebhookRequest.isReserved("CONTENT-TYPE")).isTrue();
        assertThat(WebhookRequest.isReserved("X-Tenant")).isFalse();
    }
}
