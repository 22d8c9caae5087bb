package io.irisx.messaging.email.postmark;

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
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostmarkProvider} against a local server speaking Postmark's documented wire format:
 * <ul>
 *   <li>https://postmarkapp.com/developer/api/email-api — {@code POST https://api.postmarkapp.com/email} with
 *       {@code X-Postmark-Server-Token}, {@code Accept: application/json} and {@code Content-Type: application/json};
 *       the body fields {@code From, To, Cc, Bcc} (comma-separated, {@code Name <address>}), {@code Subject, TextBody,
 *       HtmlBody, ReplyTo, Headers [{Name, Value}], Tag} (one), {@code Metadata {}}, {@code Attachments [{Name,
 *       Content, ContentType, ContentID "cid:…"}]}, {@code MessageStream}; the answer {@code {To, SubmittedAt,
 *       MessageID, ErrorCode: 0, Message: "OK"}};</li>
 *   <li>https://postmarkapp.com/developer/api/overview — HTTP 401 for a missing or wrong token, 422 with
 *       {@code {"ErrorCode", "Message"}} for a refused request, 429 rate limit, 500/503 server errors, and the API
 *       error codes (10 bad or missing API token, 100 maintenance, 300 invalid email request, 400 sender signature not
 *       found, 401 sender signature not confirmed, 406 inactive recipient, 429 rate limit exceeded, …).</li>
 * </ul>
 */
class PostmarkProviderTest extends EmailProviderContractKit {

    private static final String TOKEN = "f3a1c9e2-7b44-4d0e-9c1a-55e0b7d2a6c8";
    private static final String ACCEPTED_ID = "b7bc2f4a-e38e-4336-af7d-e6c392c2f817";

    private final MockWebServer server = new MockWebServer();
    private PostmarkProvider provider;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        provider = builder().build();
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private PostmarkProvider.Builder builder() {
        return PostmarkProvider.builder(TOKEN).baseUrl(server.url("/").newBuilder().host("127.0.0.1").build().toString())
                .timeout(Duration.ofSeconds(1));
    }

    @Override
    protected EmailProvider provider() {
        return provider;
    }

    @Override
    protected void willAnswer(Answer answer) {
        MockResponse.Builder response = switch (answer) {
            case ACCEPTED -> accepted();
            case BAD_SENDER -> error(422, 400, errorText(answer));
            case AUTH_FAILURE -> error(401, 10, errorText(answer));
            case RATE_LIMITED -> error(429, 429, errorText(answer));
            case SERVER_ERROR -> json(500, "{\"Message\":\"" + errorText(answer) + "\"}");
            case TIMEOUT -> accepted().headersDelay(3, TimeUnit.SECONDS);
        };
        server.enqueue(response.build());
    }

    @Override
    protected String errorText(Answer answer) {
        return switch (answer) {
            case BAD_SENDER -> "The 'From' address you supplied (billing@acme.example) is not a Sender Signature on "
                    + "your account. Please add and confirm this address in order to be able to use it in the 'From' "
                    + "field of your messages.";
            case AUTH_FAILURE -> "Request does not contain a valid Server token.";
            case RATE_LIMITED -> "Rate limit exceeded.";
            case SERVER_ERROR -> "Internal Server Error";
            case ACCEPTED, TIMEOUT -> "no answer within the timeout";
        };
    }

    @Override
    protected int statusCode(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> 200;
            case BAD_SENDER -> 422;
            case AUTH_FAILURE -> 401;
            case RATE_LIMITED -> 429;
            case SERVER_ERROR -> 500;
            case TIMEOUT -> 0;
        };
    }

    @Override
    protected ReceivedEmail received() throws Exception {
        JsonNode body = ProviderHttp.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        List<ReceivedEmail.Received> attachments = new ArrayList<>();
        for (JsonNode a : body.path("Attachments")) {
            String cid = a.path("ContentID").asText("");
            attachments.add(new ReceivedEmail.Received(a.path("Name").asText(), a.path("ContentType").asText(),
                    Base64.getDecoder().decode(a.path("Content").asText()),
                    cid.startsWith("cid:") ? cid.substring(4) : cid));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        body.path("Headers").forEach(h -> headers.put(h.path("Name").asText(), h.path("Value").asText()));
        Map<String, String> metadata = new LinkedHashMap<>();
        body.path("Metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        List<String> tags = body.has("Tag") ? List.of(body.path("Tag").asText()) : List.of();
        return new ReceivedEmail(mailboxes(body.path("From").asText()).get(0), mailboxes(body.path("To").asText("")),
                mailboxes(body.path("Cc").asText("")), mailboxes(body.path("Bcc").asText("")),
                mailboxes(body.path("ReplyTo").asText("")), body.path("Subject").asText(),
                body.path("TextBody").asText(""), body.path("HtmlBody").asText(""), attachments, headers, tags,
                metadata, "");
    }

    @Override
    protected String acceptedId() {
        return ACCEPTED_ID;
    }

    @Override
    protected List<String> secrets() {
        return List.of(TOKEN);
    }

    @Override
    protected Set<Feature> features() {
        return EnumSet.of(Feature.INLINE_ATTACHMENTS, Feature.HEADERS, Feature.TAGS, Feature.METADATA);
    }

    @Test
    void it_posts_json_to_email_with_the_server_token_and_accept_header() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(plainEmail());

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/email");
        assertThat(request.getHeaders().get("X-Postmark-Server-Token")).isEqualTo(TOKEN);
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getHeaders().get("Idempotency-Key")).isNull();
    }

    @Test
    void the_full_email_is_sent_as_exactly_the_documented_fields() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(fullEmail());

        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4 receipt".getBytes(StandardCharsets.UTF_8));
        String png = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        JsonNode expected = ProviderHttp.JSON.readTree("""
                {"From": "\\"Acme Billing\\" <billing@acme.example>",
                 "To": "\\"Ada Lovelace\\" <ada@example.com>, grace@example.org",
                 "Cc": "\\"Carbon Copy\\" <cc@example.net>",
                 "Bcc": "audit@acme.example",
                 "ReplyTo": "\\"Acme Support\\" <support@acme.example>",
                 "Subject": "Your receipt, order A-1042 — €12.50",
                 "TextBody": "Thank you for your order.\\nTotal: €12.50",
                 "HtmlBody": "<p>Thank you for your order.</p><p>Total: <b>€12.50</b></p><img src=\\"cid:logo\\">",
                 "Headers": [{"Name": "X-Campaign", "Value": "spring-2027"}],
                 "Tag": "receipts",
                 "Metadata": {"order": "A-1042"},
                 "Attachments": [
                   {"Name": "receipt.pdf", "Content": "%s", "ContentType": "application/pdf"},
                   {"Name": "logo.png", "Content": "%s", "ContentType": "image/png", "ContentID": "cid:logo"}],
                 "MessageStream": "outbound"}
                """.formatted(pdf, png));
        JsonNode sent = ProviderHttp.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void the_message_stream_is_configurable() throws Exception {
        try (PostmarkProvider broadcasts = builder().messageStream("broadcast-2027").build()) {
            willAnswer(Answer.ACCEPTED);
            broadcasts.send(plainEmail());
        }
        JsonNode sent = ProviderHttp.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(sent.path("MessageStream").asText()).isEqualTo("broadcast-2027");
    }

    @Test
    void only_the_first_of_several_tags_is_sent_because_postmark_takes_one() throws Exception {
        OutgoingEmail plain = plainEmail();
        OutgoingEmail tagged = new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "tagged-1", plain.from(),
                plain.to(), List.of(), List.of(), List.of(), plain.subject(), plain.text(), "", List.of(), Map.of(),
                List.of("receipts", "spring"), Map.of());
        willAnswer(Answer.ACCEPTED);
        provider.send(tagged);

        JsonNode sent = ProviderHttp.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(sent.path("Tag").asText()).isEqualTo("receipts");
        assertThat(sent.toString()).doesNotContain("spring");
    }

    @Test
    void an_inactive_recipient_is_a_permanent_failure_with_postmarks_error_code() {
        server.enqueue(error(422, 406, "You tried to send to recipient(s) that have been marked as inactive.").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(422);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("marked as inactive").contains("ErrorCode 406");
    }

    @Test
    void maintenance_and_rate_limit_error_codes_are_retryable_even_in_a_422() {
        server.enqueue(error(422, 100, "Maintenance").build());
        server.enqueue(error(422, 429, "Rate limit exceeded.").build());

        ProviderException maintenance = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        ProviderException rateLimit = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(maintenance.isRetryable()).isTrue();
        assertThat(maintenance.getMessage()).contains("Maintenance (ErrorCode 100)").doesNotContain("[permanent]");
        assertThat(rateLimit.isRetryable()).isTrue();
        assertThat(rateLimit.statusCode()).isEqualTo(422);
    }

    @Test
    void a_200_whose_error_code_is_not_zero_is_a_failure() {
        server.enqueue(json(200, "{\"ErrorCode\":300,\"Message\":\"Invalid 'To' address: 'nobody'.\"}").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("Invalid 'To' address").contains("ErrorCode 300");
    }

    @Test
    void an_accepted_answer_without_a_message_id_is_a_permanent_failure() {
        server.enqueue(json(200, "{\"ErrorCode\":0,\"Message\":\"OK\"}").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("'MessageID'");
    }

    @Test
    void the_builder_refuses_bad_settings_naming_them() {
        assertThatThrownBy(() -> PostmarkProvider.builder("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serverToken");
        assertThatThrownBy(() -> PostmarkProvider.builder(TOKEN).messageStream("out bound"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("messageStream")
                .hasMessageContaining("out bound");
        assertThatThrownBy(() -> PostmarkProvider.builder(TOKEN).baseUrl("not a url"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> PostmarkProvider.builder(TOKEN).timeout(Duration.ofMinutes(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void it_names_itself_postmark_and_posts_to_the_production_api_by_default() {
        try (PostmarkProvider production = PostmarkProvider.builder(TOKEN).build()) {
            assertThat(production.name()).isEqualTo("postmark");
            assertThat(production.toString()).contains("https://api.postmarkapp.com").contains("outbound")
                    .doesNotContain(TOKEN);
        }
    }

    private static MockResponse.Builder accepted() {
        return json(200, "{\"To\":\"ada@example.com\",\"SubmittedAt\":\"2027-03-01T12:00:00.0000000-05:00\","
                + "\"MessageID\":\"" + ACCEPTED_ID + "\",\"ErrorCode\":0,\"Message\":\"OK\"}");
    }

    private static MockResponse.Builder json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body);
    }

    private static MockResponse.Builder error(int status, int errorCode, String message) {
        return json(status, "{\"ErrorCode\":" + errorCode + ",\"Message\":\"" + message + "\"}");
    }

    /** A comma-separated list of {@code "Name" <address>} or bare addresses, commas inside quotes kept. */
    private static List<EmailAddress> mailboxes(String list) {
        List<EmailAddress> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\\' && quoted && i + 1 < list.length()) {
                current.append(c).append(list.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                result.add(mailbox(current.toString()));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(mailbox(current.toString()));
        }
        return result;
    }

    private static EmailAddress mailbox(String text) {
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
