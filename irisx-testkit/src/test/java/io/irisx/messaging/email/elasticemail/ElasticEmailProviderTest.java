package io.irisx.messaging.email.elasticemail;

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
import java.net.URLDecoder;
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
 * {@link ElasticEmailProvider} against a local server speaking Elastic Email's documented REST API v4 wire format:
 * <ul>
 *   <li>https://elasticemail.com/developers/api-documentation/rest-api#operation/emailsTransactionalPost and its
 *       OpenAPI document (github.com/ElasticEmail/elasticemail-java, {@code api/openapi.yaml}: server
 *       {@code https://api.elasticemail.com/v4}, security scheme {@code X-ElasticEmail-ApiKey} header) —
 *       {@code POST /emails/transactional} with {@code EmailTransactionalMessageData}: {@code Recipients {To, CC,
 *       BCC}}, {@code Content {From, ReplyTo, Subject, Body [{ContentType HTML|PlainText, Content, Charset}], Headers
 *       {}, Attachments [{BinaryContent, Name, ContentType}], Postback}}, {@code Options {ChannelName}}; the answer
 *       {@code EmailSend {TransactionID, MessageID}};</li>
 *   <li>https://help.elasticemail.com/en/articles/4804685-notification-settings — notifications carry the
 *       {@code transaction} id, the {@code channel} and the {@code postback} given on sending;</li>
 *   <li>error answers are {@code {"Error": "…"}} with the HTTP status (as Elastic Email's API answers them and its
 *       clients read them).</li>
 * </ul>
 */
class ElasticEmailProviderTest extends EmailProviderContractKit {

    private static final String API_KEY = "4F1C2B9D8E7A6F5C4B3A29180716253443F2E1D0C9B8A7F6E5D4C3B2A1908172";
    private static final String TRANSACTION_ID = "e9173e6a-e237-4174-a06a-d8547d82630e";
    private static final String MESSAGE_ID = "Dw7ZNxeDhF8F5FDrJVYMaQ2";

    private final MockWebServer server = new MockWebServer();
    private ElasticEmailProvider provider;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        String base = server.url("/v4").newBuilder().host("127.0.0.1").build().toString();
        provider = ElasticEmailProvider.builder(API_KEY).baseUrl(base).timeout(Duration.ofSeconds(1)).build();
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    @Override
    protected EmailProvider provider() {
        return provider;
    }

    @Override
    protected void willAnswer(Answer answer) {
        MockResponse.Builder response = switch (answer) {
            case ACCEPTED -> accepted();
            case BAD_SENDER -> error(400, errorText(answer));
            case AUTH_FAILURE -> error(401, errorText(answer));
            case RATE_LIMITED -> error(429, errorText(answer));
            case SERVER_ERROR -> error(500, errorText(answer));
            case TIMEOUT -> accepted().headersDelay(3, TimeUnit.SECONDS);
        };
        server.enqueue(response.build());
    }

    @Override
    protected String errorText(Answer answer) {
        return switch (answer) {
            case BAD_SENDER -> "The sender domain acme.example is not verified. Verify it before sending.";
            case AUTH_FAILURE -> "Access Denied.";
            case RATE_LIMITED -> "Too many requests.";
            case SERVER_ERROR -> "An error occurred while processing your request.";
            case ACCEPTED, TIMEOUT -> "no answer within the timeout";
        };
    }

    @Override
    protected int statusCode(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> 200;
            case BAD_SENDER -> 400;
            case AUTH_FAILURE -> 401;
            case RATE_LIMITED -> 429;
            case SERVER_ERROR -> 500;
            case TIMEOUT -> 0;
        };
    }

    @Override
    protected ReceivedEmail received() throws Exception {
        JsonNode body = ProviderHttp.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        JsonNode recipients = body.path("Recipients");
        JsonNode content = body.path("Content");
        String text = "";
        String html = "";
        for (JsonNode part : content.path("Body")) {
            if (part.path("ContentType").asText().equals("PlainText")) {
                text = part.path("Content").asText();
            } else if (part.path("ContentType").asText().equals("HTML")) {
                html = part.path("Content").asText();
            }
        }
        List<ReceivedEmail.Received> attachments = new ArrayList<>();
        for (JsonNode a : content.path("Attachments")) {
            attachments.add(new ReceivedEmail.Received(a.path("Name").asText(), a.path("ContentType").asText(),
                    Base64.getDecoder().decode(a.path("BinaryContent").asText()), ""));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        content.path("Headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        String channel = body.path("Options").path("ChannelName").asText("");
        List<EmailAddress> replyTo = content.has("ReplyTo") ? List.of(mailbox(content.path("ReplyTo").asText()))
                : List.of();
        return new ReceivedEmail(mailbox(content.path("From").asText()), mailboxes(recipients.path("To")),
                mailboxes(recipients.path("CC")), mailboxes(recipients.path("BCC")), replyTo,
                content.path("Subject").asText(), text, html, attachments, headers,
                channel.isEmpty() ? List.of() : List.of(channel), postback(content.path("Postback").asText("")), "");
    }

    @Override
    protected String acceptedId() {
        return TRANSACTION_ID;
    }

    @Override
    protected List<String> secrets() {
        return List.of(API_KEY);
    }

    @Override
    protected Set<Feature> features() {
        return EnumSet.of(Feature.HEADERS, Feature.TAGS, Feature.METADATA);
    }

    @Test
    void it_posts_json_to_emails_transactional_with_the_api_key_header() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(plainEmail());

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v4/emails/transactional");
        assertThat(request.getHeaders().get("X-ElasticEmail-ApiKey")).isEqualTo(API_KEY);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    }

    @Test
    void the_full_email_is_sent_as_exactly_the_documented_fields() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(fullEmail());

        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4 receipt".getBytes(StandardCharsets.UTF_8));
        String png = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        JsonNode expected = ProviderHttp.JSON.readTree("""
                {"Recipients": {
                   "To": ["\\"Ada Lovelace\\" <ada@example.com>", "grace@example.org"],
                   "CC": ["\\"Carbon Copy\\" <cc@example.net>"],
                   "BCC": ["audit@acme.example"]},
                 "Content": {
                   "From": "\\"Acme Billing\\" <billing@acme.example>",
                   "ReplyTo": "\\"Acme Support\\" <support@acme.example>",
                   "Subject": "Your receipt, order A-1042 — €12.50",
                   "Body": [
                     {"ContentType": "PlainText", "Content": "Thank you for your order.\\nTotal: €12.50",
                      "Charset": "utf-8"},
                     {"ContentType": "HTML",
                      "Content": "<p>Thank you for your order.</p><p>Total: <b>€12.50</b></p><img src=\\"cid:logo\\">",
                      "Charset": "utf-8"}],
                   "Headers": {"X-Campaign": "spring-2027"},
                   "Attachments": [
                     {"BinaryContent": "%s", "Name": "receipt.pdf", "ContentType": "application/pdf"},
                     {"BinaryContent": "%s", "Name": "logo.png", "ContentType": "image/png"}],
                   "Postback": "order=A-1042"},
                 "Options": {"ChannelName": "receipts"}}
                """.formatted(pdf, png));
        JsonNode sent = ProviderHttp.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(sent).isEqualTo(expected);
    }

    @Test
    void the_receipt_is_the_transaction_id_not_the_per_recipient_message_id() {
        willAnswer(Answer.ACCEPTED);
        assertThat(provider.send(plainEmail()).providerMessageId()).isEqualTo(TRANSACTION_ID).isNotEqualTo(MESSAGE_ID);
    }

    @Test
    void metadata_travels_form_encoded_in_the_postback_and_reads_back_whole() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("order", "A-1042");
        metadata.put("customer name", "Zoë & Co=1");

        String postback = ElasticEmailMessage.postback(metadata);

        assertThat(postback).isEqualTo("order=A-1042&customer+name=Zo%C3%AB+%26+Co%3D1");
        assertThat(postback(postback)).containsExactlyEntriesOf(metadata);
    }

    @Test
    void an_html_only_email_has_one_html_body_part() throws Exception {
        OutgoingEmail plain = plainEmail();
        willAnswer(Answer.ACCEPTED);
        provider.send(new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "html-1", plain.from(), plain.to(),
                List.of(), List.of(), List.of(), "Hi", "", "<p>Hi</p>", List.of(), Map.of(), List.of(), Map.of()));

        JsonNode sent = ProviderHttp.JSON.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(sent.path("Content").path("Body")).hasSize(1);
        assertThat(sent.path("Content").path("Body").get(0).path("ContentType").asText()).isEqualTo("HTML");
        assertThat(sent.has("Options")).isFalse();
        assertThat(sent.path("Content").has("Postback")).isFalse();
    }

    @Test
    void more_than_one_reply_to_address_is_refused_before_anything_is_sent() {
        OutgoingEmail plain = plainEmail();
        OutgoingEmail email = new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "reply-1", plain.from(),
                plain.to(), List.of(), List.of(),
                List.of(EmailAddress.of("support@acme.example"), EmailAddress.of("sales@acme.example")),
                plain.subject(), plain.text(), "", List.of(), Map.of(), List.of(), Map.of());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(email));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.statusCode()).isZero();
        assertThat(failure.getMessage()).contains("ReplyTo takes one address").contains("has 2");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void an_accepted_answer_without_a_transaction_id_is_a_permanent_failure() {
        server.enqueue(json(200, "{\"MessageID\":\"" + MESSAGE_ID + "\"}").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("'TransactionID'");
    }

    @Test
    void an_error_answer_that_is_not_json_keeps_its_text() {
        server.enqueue(new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build());

        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.getMessage()).contains("Bad Gateway");
    }

    @Test
    void the_builder_refuses_bad_settings_naming_them() {
        assertThatThrownBy(() -> ElasticEmailProvider.builder("key with spaces"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey")
                .hasMessageNotContaining("key with spaces");
        assertThatThrownBy(() -> ElasticEmailProvider.builder(API_KEY).baseUrl("https://api.example/v4?x=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> ElasticEmailProvider.builder(API_KEY).timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void it_names_itself_elasticemail_and_posts_to_the_production_api_by_default() {
        try (ElasticEmailProvider production = ElasticEmailProvider.builder(API_KEY).build()) {
            assertThat(production.name()).isEqualTo("elasticemail");
            assertThat(production.acceptsIdempotencyKey()).isFalse();
            assertThat(production.toString()).contains("https://api.elasticemail.com/v4").doesNotContain(API_KEY);
        }
    }

    private static MockResponse.Builder accepted() {
        return json(200, "{\"TransactionID\":\"" + TRANSACTION_ID + "\",\"MessageID\":\"" + MESSAGE_ID + "\"}");
    }

    private static MockResponse.Builder json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body);
    }

    private static MockResponse.Builder error(int code, String message) {
        return json(code, "{\"Error\":\"" + message + "\"}");
    }

    private static Map<String, String> postback(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return result;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return result;
    }

    private static List<EmailAddress> mailboxes(JsonNode array) {
        List<EmailAddress> result = new ArrayList<>();
        array.forEach(node -> result.add(mailbox(node.asText())));
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
