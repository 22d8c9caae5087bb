package io.irisx.messaging.email.sendgrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.testkit.email.EmailProviderContractKit;
import io.irisx.testkit.email.ReceivedEmail;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SendGridProvider} against a local server speaking SendGrid's v3 Mail Send wire format, as documented at
 * https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send ({@code POST /v3/mail/send},
 * {@code Authorization: Bearer <key>}, the JSON body with {@code personalizations}, {@code from}, {@code reply_to} /
 * {@code reply_to_list}, {@code content}, {@code attachments}, {@code headers}, {@code categories},
 * {@code custom_args}; 202 with an empty body), https://www.twilio.com/docs/sendgrid/glossary/x-message-id (the id in
 * the {@code X-Message-Id} response header), and
 * https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/errors and
 * .../responses (error bodies {@code {"errors":[{"message","field","help"}]}}; 400, 401, 403 for an unverified
 * sender, 413, 429, 500).
 */
class SendGridProviderTest extends EmailProviderContractKit {

    private static final String API_KEY = "SG.test-key.s3cr3t-value";
    private static final String MESSAGE_ID = "Ua9z9lSTSaqYBWJe_Xfc-Q";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private SendGridProvider provider;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        provider = SendGridProvider.builder(API_KEY).baseUrl(baseUrl()).timeout(Duration.ofSeconds(1)).build();
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    protected EmailProvider provider() {
        return provider;
    }

    @Override
    protected void willAnswer(Answer answer) {
        server.enqueue(switch (answer) {
            case ACCEPTED -> new MockResponse.Builder().code(202).addHeader("X-Message-Id", MESSAGE_ID).build();
            case BAD_SENDER -> error(403, "The from address does not match a verified Sender Identity. Mail cannot "
                    + "be sent until this error is resolved.", "from");
            case AUTH_FAILURE -> error(401, "The provided authorization grant is invalid, expired, or revoked", null);
            case RATE_LIMITED -> error(429, "too many requests", null);
            case SERVER_ERROR -> error(500, "internal server error", null);
            case TIMEOUT -> new MockResponse.Builder().code(202).addHeader("X-Message-Id", MESSAGE_ID)
                    .headersDelay(3, TimeUnit.SECONDS).build();
        });
    }

    private static MockResponse error(int code, String message, String field) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("field", field);
        error.put("help", null);
        try {
            return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                    .body(JSON.writeValueAsString(Map.of("errors", List.of(error)))).build();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected ReceivedEmail received() throws Exception {
        JsonNode body = JSON.readTree(server.takeRequest().getBody().utf8());
        JsonNode personalization = body.path("personalizations").get(0);
        List<EmailAddress> replyTo = body.has("reply_to") ? List.of(address(body.path("reply_to")))
                : addresses(body.path("reply_to_list"));
        String text = "";
        String html = "";
        for (JsonNode content : body.path("content")) {
            if (content.path("type").asText().equals("text/plain")) {
                text = content.path("value").asText();
            } else if (content.path("type").asText().equals("text/html")) {
                html = content.path("value").asText();
            }
        }
        List<ReceivedEmail.Received> attachments = new ArrayList<>();
        for (JsonNode a : body.path("attachments")) {
            attachments.add(new ReceivedEmail.Received(a.path("filename").asText(), a.path("type").asText(),
                    Base64.getDecoder().decode(a.path("content").asText()), a.path("content_id").asText("")));
        }
        List<String> tags = new ArrayList<>();
        body.path("categories").forEach(c -> tags.add(c.asText()));
        return new ReceivedEmail(address(body.path("from")), addresses(personalization.path("to")),
                addresses(personalization.path("cc")), addresses(personalization.path("bcc")), replyTo,
                body.path("subject").asText(), text, html, attachments, strings(body.path("headers")), tags,
                strings(body.path("custom_args")), "");
    }

    private static EmailAddress address(JsonNode node) {
        return EmailAddress.of(node.path("email").asText(), node.path("name").asText(""));
    }

    private static List<EmailAddress> addresses(JsonNode array) {
        List<EmailAddress> result = new ArrayList<>();
        array.forEach(node -> result.add(address(node)));
        return result;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> result = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
        return result;
    }

    @Override
    protected String acceptedId() {
        return MESSAGE_ID;
    }

    @Override
    protected String errorText(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> "";
            case BAD_SENDER -> "The from address does not match a verified Sender Identity";
            case AUTH_FAILURE -> "The provided authorization grant is invalid, expired, or revoked";
            case RATE_LIMITED -> "too many requests";
            case SERVER_ERROR -> "internal server error";
            case TIMEOUT -> "no answer within the timeout";
        };
    }

    @Override
    protected int statusCode(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> 202;
            case BAD_SENDER -> 403;
            case AUTH_FAILURE -> 401;
            case RATE_LIMITED -> 429;
            case SERVER_ERROR -> 500;
            case TIMEOUT -> 0;
        };
    }

    @Override
    protected List<String> secrets() {
        return List.of(API_KEY);
    }

    @Override
    protected Set<Feature> features() {
        return EnumSet.of(Feature.INLINE_ATTACHMENTS, Feature.HEADERS, Feature.TAGS, Feature.METADATA);
    }

    // SendGrid specifics, beyond the kit.

    @Test
    void it_posts_json_to_v3_mail_send_with_the_key_as_a_bearer_token() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(plainEmail());
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v3/mail/send");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
    }

    @Test
    void the_full_email_is_sent_as_the_documented_json() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(fullEmail());
        JsonNode body = JSON.readTree(server.takeRequest().getBody().utf8());

        assertThat(body.path("from")).isEqualTo(JSON.readTree(
                "{\"email\":\"billing@acme.example\",\"name\":\"Acme Billing\"}"));
        assertThat(body.path("personalizations")).isEqualTo(JSON.readTree("""
                [{"to":[{"email":"ada@example.com","name":"Ada Lovelace"},{"email":"grace@example.org"}],
                  "cc":[{"email":"cc@example.net","name":"Carbon Copy"}],
                  "bcc":[{"email":"audit@acme.example"}]}]"""));
        assertThat(body.path("reply_to")).isEqualTo(JSON.readTree(
                "{\"email\":\"support@acme.example\",\"name\":\"Acme Support\"}"));
        assertThat(body.has("reply_to_list")).isFalse();
        assertThat(body.path("content")).extracting(c -> c.path("type").asText()).containsExactly(
                "text/plain", "text/html");
        assertThat(body.path("attachments")).isEqualTo(JSON.readTree("""
                [{"content":"JVBERi0xLjQgcmVjZWlwdA==","type":"application/pdf","filename":"receipt.pdf",
                  "disposition":"attachment"},
                 {"content":"iVBORwABAg==","type":"image/png","filename":"logo.png","disposition":"inline",
                  "content_id":"logo"}]"""));
        assertThat(body.path("headers")).isEqualTo(JSON.readTree("{\"X-Campaign\":\"spring-2027\"}"));
        assertThat(body.path("categories")).isEqualTo(JSON.readTree("[\"receipts\"]"));
        assertThat(body.path("custom_args")).isEqualTo(JSON.readTree("{\"order\":\"A-1042\"}"));
        assertThat(body.has("send_at")).as("the SDK's unset defaults are left out").isFalse();
    }

    @Test
    void several_reply_to_addresses_go_in_reply_to_list_instead_of_reply_to() throws Exception {
        OutgoingEmail plain = plainEmail();
        OutgoingEmail email = new OutgoingEmail(plain.id(), plain.tenant(), plain.idempotencyKey(), plain.from(),
                plain.to(), List.of(), List.of(),
                List.of(EmailAddress.of("support@acme.example", "Support"), EmailAddress.of("sales@acme.example")),
                plain.subject(), plain.text(), "", List.of(), Map.of(), List.of(), Map.of());
        willAnswer(Answer.ACCEPTED);
        provider.send(email);
        JsonNode body = JSON.readTree(server.takeRequest().getBody().utf8());
        assertThat(body.has("reply_to")).isFalse();
        assertThat(body.path("reply_to_list")).isEqualTo(JSON.readTree(
                "[{\"email\":\"support@acme.example\",\"name\":\"Support\"},{\"email\":\"sales@acme.example\"}]"));
    }

    @Test
    void an_html_only_email_has_only_an_html_content() throws Exception {
        OutgoingEmail plain = plainEmail();
        OutgoingEmail email = new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "k", plain.from(),
                plain.to(), List.of(), List.of(), List.of(), "Hi", "", "<p>Hi</p>", List.of(), Map.of(), List.of(),
                Map.of());
        willAnswer(Answer.ACCEPTED);
        provider.send(email);
        JsonNode body = JSON.readTree(server.takeRequest().getBody().utf8());
        assertThat(body.path("content")).isEqualTo(JSON.readTree("[{\"type\":\"text/html\",\"value\":\"<p>Hi</p>\"}]"));
    }

    @Test
    void every_error_message_is_kept_with_the_field_it_names() {
        server.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json").body("""
                {"errors":[{"message":"The from email does not contain a valid address.","field":"from.email",
                "help":"http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.from"},
                {"message":"The subject is required.","field":"subject","help":null}]}""").build());
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(400);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains(
                "The from email does not contain a valid address. (field: from.email); "
                        + "The subject is required. (field: subject)");
    }

    @Test
    void a_payload_too_large_is_permanent() {
        server.enqueue(new MockResponse.Builder().code(413)
                .body("{\"errors\":[{\"message\":\"Payload Too Large\",\"field\":null}]}").build());
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(413);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("Payload Too Large");
    }

    @Test
    void an_error_answer_that_is_not_json_keeps_its_body_as_the_text() {
        server.enqueue(new MockResponse.Builder().code(503).body("<html>Service Unavailable</html>").build());
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(503);
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.getMessage()).contains("<html>Service Unavailable</html>");
    }

    @Test
    void the_message_id_header_of_an_error_answer_is_its_request_id() {
        server.enqueue(new MockResponse.Builder().code(500).addHeader("x-message-id", "err-42")
                .body("{\"errors\":[{\"message\":\"internal\"}]}").build());
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.requestId()).contains("err-42");
    }

    @Test
    void an_acceptance_without_a_message_id_is_a_permanent_failure() {
        server.enqueue(new MockResponse.Builder().code(202).build());
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(202);
        assertThat(failure.isRetryable()).as("sending again could deliver it twice").isFalse();
        assertThat(failure.getMessage()).contains("X-Message-Id");
    }

    @Test
    void a_server_that_is_not_there_is_a_retryable_failure() throws IOException {
        int port = server.getPort();
        server.close();
        SendGridProvider nowhere = SendGridProvider.builder(API_KEY).baseUrl("http://127.0.0.1:" + port)
                .timeout(Duration.ofSeconds(1)).build();
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> nowhere.send(plainEmail()));
        assertThat(failure.statusCode()).isZero();
        assertThat(failure.isRetryable()).isTrue();
        nowhere.close();
    }

    @Test
    void one_provider_serves_concurrent_sends() throws Exception {
        int sends = 16;
        for (int i = 0; i < sends; i++) {
            server.enqueue(new MockResponse.Builder().code(202).addHeader("X-Message-Id", "id-" + i).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<EmailReceipt>> receipts = new ArrayList<>();
            for (int i = 0; i < sends; i++) {
                receipts.add(pool.submit(() -> provider.send(plainEmail())));
            }
            Set<String> ids = new HashSet<>();
            for (Future<EmailReceipt> receipt : receipts) {
                ids.add(receipt.get(10, TimeUnit.SECONDS).providerMessageId());
            }
            assertThat(ids).hasSize(sends);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_builder_refuses_bad_settings_naming_them() {
        assertThatThrownBy(() -> SendGridProvider.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> SendGridProvider.builder("SG.a b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey").hasMessageNotContaining("SG.a b");
        assertThatThrownBy(() -> SendGridProvider.builder(API_KEY).baseUrl("ftp://api.sendgrid.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl")
                .hasMessageContaining("ftp://api.sendgrid.com");
        assertThatThrownBy(() -> SendGridProvider.builder(API_KEY).baseUrl("https://api.sendgrid.com/v3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no path");
        assertThatThrownBy(() -> SendGridProvider.builder(API_KEY).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void the_eu_base_url_is_accepted_and_shown() {
        SendGridProvider eu = SendGridProvider.builder(API_KEY).baseUrl("https://api.eu.sendgrid.com/").build();
        assertThat(eu.toString()).contains("https://api.eu.sendgrid.com").doesNotContain(API_KEY);
        eu.close();
    }
}
