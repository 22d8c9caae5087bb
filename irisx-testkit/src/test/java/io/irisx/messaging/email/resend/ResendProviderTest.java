package io.irisx.messaging.email.resend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.testkit.email.EmailProviderContractKit;
import io.irisx.testkit.email.ReceivedEmail;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ResendProvider} against a local server speaking Resend's documented wire format:
 * <ul>
 *   <li>https://resend.com/docs/api-reference/emails/send-email — {@code POST https://api.resend.com/emails},
 *       {@code Authorization: Bearer <key>}, the body fields {@code from, to, cc, bcc, reply_to, subject, text, html,
 *       headers, attachments [{filename, content, content_type, content_id}], tags [{name, value}]} (tag names and
 *       values: ASCII letters, digits, {@code _}, {@code -}, at most 256), the {@code Idempotency-Key} header, and the
 *       answer {@code {"id": "…"}};</li>
 *   <li>https://resend.com/docs/api-reference/errors — error bodies {@code {"statusCode", "name", "message"}}:
 *       403 {@code validation_error} for an unverified domain, 401 {@code missing_api_key}, 403
 *       {@code invalid_api_key}, 409 {@code invalid_idempotent_request} / {@code concurrent_idempotent_requests}, 429
 *       {@code rate_limit_exceeded}, 500 {@code application_error};</li>
 *   <li>https://resend.com/docs/dashboard/emails/idempotency-keys — the same key within 24 hours gets the first
 *       answer and sends nothing; keys of 1-256 characters;</li>
 *   <li>https://resend.com/docs/dashboard/emails/embed-inline-images — inline images by {@code content_id}.</li>
 * </ul>
 */
class ResendProviderTest extends EmailProviderContractKit {

    private static final String API_KEY = "re_test_5dcb1f0e9a3c4b7d";
    private static final String ACCEPTED_ID = "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794";

    private final MockWebServer server = new MockWebServer();
    private ResendProvider provider;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        provider = ResendProvider.builder(API_KEY).baseUrl(baseUrl()).timeout(Duration.ofSeconds(1)).build();
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private String baseUrl() {
        return server.url("/").newBuilder().host("127.0.0.1").build().toString();
    }

    @Override
    protected EmailProvider provider() {
        return provider;
    }

    @Override
    protected void willAnswer(Answer answer) {
        MockResponse.Builder response = switch (answer) {
            case ACCEPTED -> json(200, "{\"id\":\"" + ACCEPTED_ID + "\"}");
            case BAD_SENDER -> error(403, "validation_error", errorText(answer));
            case AUTH_FAILURE -> error(403, "invalid_api_key", errorText(answer));
            case RATE_LIMITED -> error(429, "rate_limit_exceeded", errorText(answer));
            case SERVER_ERROR -> error(500, "application_error", errorText(answer));
            case TIMEOUT -> json(200, "{\"id\":\"" + ACCEPTED_ID + "\"}").headersDelay(3, TimeUnit.SECONDS);
        };
        server.enqueue(response.build());
    }

    @Override
    protected String errorText(Answer answer) {
        return switch (answer) {
            case BAD_SENDER -> "The acme.example domain is not verified. Please, add and verify your domain.";
            case AUTH_FAILURE -> "API key is invalid";
            case RATE_LIMITED -> "Too many requests. You can only make 2 requests per second.";
            case SERVER_ERROR -> "An unexpected error occurred.";
            case ACCEPTED, TIMEOUT -> "no answer within the timeout";
        };
    }

    @Override
    protected int statusCode(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> 200;
            case BAD_SENDER, AUTH_FAILURE -> 403;
            case RATE_LIMITED -> 429;
            case SERVER_ERROR -> 500;
            case TIMEOUT -> 0;
        };
    }

    @Override
    protected ReceivedEmail received() throws Exception {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        JsonNode body = ProviderHttp.JSON.readTree(request.getBody().utf8());
        List<ReceivedEmail.Received> attachments = new ArrayList<>();
        for (JsonNode a : body.path("attachments")) {
            attachments.add(new ReceivedEmail.Received(a.path("filename").asText(), a.path("content_type").asText(),
                    Base64.getDecoder().decode(a.path("content").asText()), a.path("content_id").asText("")));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        body.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        List<String> tags = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (JsonNode tag : body.path("tags")) {
            if (tag.has("value")) {
                metadata.put(tag.path("name").asText(), tag.path("value").asText());
            } else {
                tags.add(tag.path("name").asText());
            }
        }
        return new ReceivedEmail(mailbox(body.path("from").asText()), mailboxes(body.path("to")),
                mailboxes(body.path("cc")), mailboxes(body.path("bcc")), mailboxes(body.path("reply_to")),
                body.path("subject").asText(), body.path("text").asText(""), body.path("html").asText(""),
                attachments, headers, tags, metadata, request.getHeaders().get("Idempotency-Key"));
    }

    @Override
    protected String acceptedId() {
        return ACCEPTED_ID;
    }

    @Override
    protected List<String> secrets() {
        return List.of(API_KEY);
    }

    @Override
    protected Set<Feature> features() {
        return EnumSet.allOf(Feature.class);
    }

    @Test
    void it_posts_json_to_emails_with_the_bearer_key_and_the_idempotency_key() throws Exception {
        willAnswer(Answer.ACCEPTED);
        OutgoingEmail email = plainEmail();
        provider.send(email);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/emails");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getHeaders().get("Idempotency-Key")).isEqualTo(email.idempotencyKey());
    }

    @Test
    void the_full_email_is_sent_as_exactly_the_documented_fields() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(fullEmail());

        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4 receipt".getBytes(StandardCharsets.UTF_8));
        String png = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        JsonNode expected = ProviderHttp.JSON.readTree("""
                {"from": "\\"Acme Billing\\" <billing@acme.example>",
                 "to": ["\\"Ada Lovelace\\" <ada@example.com>", "grace@example.org"],
                 "cc": ["\\"Carbon Copy\\" <cc@example.net>"],
                 "bcc": ["audit@acme.example"],
                 "reply_to": ["\\"Acme Support\\" <support@acme.example>"],
                 "subject": "Your receipt, order A-1042 — €12.50",
                 "text": "Thank you for your order.\\nTotal: €12.50",
                 "html": "<p>Thank you for your order.</p><p>Total: <b>€12.50</b></p><img src=\\"cid:logo\\">",
                 "headers": {"X-Campaign": "spring-2027"},
                 "attachments": [
                   {"filename": "receipt.pdf", "content": "%s", "content_type": "application/pdf"},
                   {"filename": "logo.png", "content": "%s", "content_type": "image/png", "content_id": "logo"}],
                 "tags": [{"name": "receipts"}, {"name": "order", "value": "A-1042"}]}
                """.formatted(pdf, png));
        JsonNode sent = ProviderHttp.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void tags_and_metadata_outside_resends_alphabet_are_rewritten_with_underscores_and_cut_at_256() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("order id", "A 1042/€");
        metadata.put("receipts", "yes");
        metadata.put("", "dropped");

        Map<String, String> tags = ResendMessage.tags(List.of("receipts", "spring sale", "x".repeat(300), "!"), metadata);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("receipts", "yes");
        expected.put("spring_sale", "");
        expected.put("x".repeat(256), "");
        expected.put("_", "");
        expected.put("order_id", "A_1042__");
        assertThat(tags).containsExactlyEntriesOf(expected);
    }

    @Test
    void an_idempotency_key_longer_than_256_characters_is_sent_as_its_sha256() {
        OutgoingEmail first = withKey("k".repeat(300));
        OutgoingEmail again = withKey("k".repeat(300));

        String sent = ResendMessage.idempotencyKey(first);
        assertThat(sent).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(ResendMessage.idempotencyKey(again));
        assertThat(ResendMessage.idempotencyKey(withKey("k".repeat(256)))).isEqualTo("k".repeat(256));
    }

    @Test
    void a_concurrent_request_with_the_same_key_is_retryable() {
        server.enqueue(error(409, "concurrent_idempotent_requests",
                "Same idempotency key used while original request is still in progress.").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.statusCode()).isEqualTo(409);
        assertThat(failure.getMessage()).contains("still in progress").contains("concurrent_idempotent_requests")
                .doesNotContain("[permanent]");
    }

    @Test
    void the_same_key_with_a_different_payload_is_permanent() {
        server.enqueue(error(409, "invalid_idempotent_request",
                "Same idempotency key used with a different request payload.").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("different request payload");
    }

    @Test
    void a_missing_api_key_answer_is_a_permanent_401() {
        server.enqueue(error(401, "missing_api_key", "Missing API key in the authorization header").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(401);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("Missing API key in the authorization header (missing_api_key)");
    }

    @Test
    void an_accepted_answer_without_an_id_is_a_permanent_failure() {
        server.enqueue(json(200, "{}").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("'id'");
    }

    /**
     * Resend's documented idempotency: a request with a key already used in the last 24 hours gets the original
     * answer and sends no second email. The local server keeps the keys it has seen, as Resend does.
     */
    @Test
    void sending_the_same_email_twice_returns_the_first_id_and_sends_one_email() {
        AtomicInteger emailsSent = new AtomicInteger();
        Map<String, String> answers = new ConcurrentHashMap<>();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String key = request.getHeaders().get("Idempotency-Key");
                String answer = key == null ? send() : answers.computeIfAbsent(key, k -> send());
                return json(200, answer).build();
            }

            private String send() {
                emailsSent.incrementAndGet();
                return "{\"id\":\"" + UUID.randomUUID() + "\"}";
            }
        });
        OutgoingEmail email = fullEmail();

        String first = provider.send(email).providerMessageId();
        String second = provider.send(email).providerMessageId();

        assertThat(second).isEqualTo(first);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(emailsSent).hasValue(1);
        assertThat(provider.send(plainEmail()).providerMessageId()).isNotEqualTo(first);
        assertThat(emailsSent).hasValue(2);
    }

    @Test
    void the_builder_refuses_bad_settings_naming_them() {
        assertThatThrownBy(() -> ResendProvider.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> ResendProvider.builder("re_ab cd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey").hasMessageNotContaining("re_ab cd");
        assertThatThrownBy(() -> ResendProvider.builder(API_KEY).baseUrl("ftp://x")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("baseUrl").hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> ResendProvider.builder(API_KEY).timeout(Duration.ZERO)).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void it_names_itself_resend_and_posts_to_the_production_api_by_default() {
        try (ResendProvider production = ResendProvider.builder(API_KEY).build()) {
            assertThat(production.name()).isEqualTo("resend");
            assertThat(production.toString()).contains("https://api.resend.com").doesNotContain(API_KEY);
        }
    }

    private OutgoingEmail withKey(String key) {
        OutgoingEmail plain = plainEmail();
        return new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), key, plain.from(), plain.to(), plain.cc(),
                plain.bcc(), plain.replyTo(), plain.subject(), plain.text(), plain.html(), plain.attachments(),
                plain.headers(), plain.tags(), plain.metadata());
    }

    private static MockResponse.Builder json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body);
    }

    private static MockResponse.Builder error(int code, String name, String message) {
        return json(code, "{\"statusCode\":" + code + ",\"name\":\"" + name + "\",\"message\":\"" + message + "\"}");
    }

    private static List<EmailAddress> mailboxes(JsonNode array) {
        List<EmailAddress> result = new ArrayList<>();
        array.forEach(node -> result.add(mailbox(node.asText())));
        return result;
    }

    /** {@code "Name" <address>}, {@code Name <address>} or a bare address. */
    static EmailAddress mailbox(String text) {
        int open = text.lastIndexOf('<');
        if (open < 0) {
            return EmailAddress.of(text.trim());
        }
        String name = text.substring(0, open).trim();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return EmailAddress.of(text.substring(open + 1, text.indexOf('>', open)), name);
    }
}
