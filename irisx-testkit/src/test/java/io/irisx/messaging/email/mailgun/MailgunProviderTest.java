package io.irisx.messaging.email.mailgun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.ProviderException;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.spi.EmailProvider;
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
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MailgunProvider} against a local server speaking Mailgun's messages API, as documented at
 * https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/messages ({@code POST
 * /v3/{domain_name}/messages}, HTTP basic auth, multipart/form-data with {@code from}, {@code to}, {@code cc},
 * {@code bcc}, {@code subject}, {@code text}, {@code html}, {@code attachment}, {@code inline}, {@code o:tag},
 * {@code h:X-My-Header}, {@code v:my-var}; 200 with {@code {"id":"<…>","message":"Queued. Thank you."}}; US server
 * https://api.mailgun.net, EU server https://api.eu.mailgun.net),
 * https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-attachments (inline files referred
 * to as {@code cid:<file name>}; metadata as user variables, which also appear in the delivered email's
 * {@code X-Mailgun-Variables} header), and https://documentation.mailgun.com/docs/mailgun/quickstart-guide/responses
 * (400 with a JSON {@code message}, 401/403 auth, 404, 429, 500). A refused key gets 401 with the plain-text body
 * {@code Forbidden}; the request id header is {@code X-Mailgun-Request-Id}, as Mailgun's own mailgun.js reads it.
 */
class MailgunProviderTest extends EmailProviderContractKit {

    private static final String API_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    private static final String DOMAIN = "mg.acme.example";
    private static final String MESSAGE_ID = "20260301120000.1.ABCDEF@mg.acme.example";

    private final MockWebServer server = new MockWebServer();
    private MailgunProvider provider;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        provider = MailgunProvider.builder(API_KEY, DOMAIN).baseUrl(baseUrl()).timeout(Duration.ofSeconds(1)).build();
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
            case ACCEPTED -> json(200, "{\"id\":\"<" + MESSAGE_ID + ">\",\"message\":\"Queued. Thank you.\"}");
            case BAD_SENDER -> json(403, "{\"message\":\"Domain mg.acme.example is not allowed to send: "
                    + "Free accounts are for test purposes only.\"}");
            case AUTH_FAILURE -> new MockResponse.Builder().code(401).addHeader("Content-Type", "text/plain")
                    .body("Forbidden").build();
            case RATE_LIMITED -> json(429, "{\"message\":\"Too many requests\"}");
            case SERVER_ERROR -> json(500, "{\"message\":\"Internal Server Error\"}");
            case TIMEOUT -> json(200, "{\"id\":\"<" + MESSAGE_ID + ">\",\"message\":\"Queued. Thank you.\"}")
                    .newBuilder().headersDelay(3, TimeUnit.SECONDS).build();
        });
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .addHeader("X-Mailgun-Request-Id", "req-" + code).body(body).build();
    }

    /** One part of the form the server received. */
    private record Field(String name, String filename, String contentType, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private static List<Field> form(RecordedRequest request) throws IOException {
        MediaType type = MediaType.get(request.getHeaders().get("Content-Type"));
        assertThat(type.type() + "/" + type.subtype()).isEqualTo("multipart/form-data");
        List<Field> fields = new ArrayList<>();
        try (MultipartReader reader = new MultipartReader(new Buffer().write(request.getBody()),
                type.parameter("boundary"))) {
            for (MultipartReader.Part part = reader.nextPart(); part != null; part = reader.nextPart()) {
                String disposition = part.headers().get("Content-Disposition");
                fields.add(new Field(parameter(disposition, "name"), parameter(disposition, "filename"),
                        part.headers().get("Content-Type"), part.body().readByteArray()));
            }
        }
        return fields;
    }

    /** A quoted parameter of a Content-Disposition header, as OkHttp writes it; null when absent. */
    private static String parameter(String disposition, String name) {
        String key = "; " + name + "=\"";
        int start = disposition.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        return disposition.substring(start, disposition.indexOf('"', start));
    }

    private static List<String> values(List<Field> form, String name) {
        return form.stream().filter(f -> f.name().equals(name) && f.filename() == null).map(Field::text).toList();
    }

    private static String value(List<Field> form, String name) {
        List<String> values = values(form, name);
        return values.isEmpty() ? "" : values.get(0);
    }

    @Override
    protected ReceivedEmail received() throws Exception {
        List<Field> form = form(server.takeRequest());
        List<ReceivedEmail.Received> attachments = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Field field : form) {
            if (field.name().equals("attachment") || field.name().equals("inline")) {
                attachments.add(new ReceivedEmail.Received(field.filename(), field.contentType(), field.content(),
                        field.name().equals("inline") ? field.filename() : ""));
            } else if (field.name().startsWith("h:") && !field.name().equals("h:Reply-To")) {
                headers.put(field.name().substring(2), field.text());
            } else if (field.name().startsWith("v:")) {
                metadata.put(field.name().substring(2), field.text());
            }
        }
        return new ReceivedEmail(Mailboxes.parse(value(form, "from")).get(0), mailboxes(values(form, "to")),
                mailboxes(values(form, "cc")), mailboxes(values(form, "bcc")),
                Mailboxes.parse(value(form, "h:Reply-To")), value(form, "subject"), value(form, "text"),
                value(form, "html"), attachments, headers, values(form, "o:tag"), metadata, "");
    }

    private static List<EmailAddress> mailboxes(List<String> values) {
        return values.stream().flatMap(v -> Mailboxes.parse(v).stream()).toList();
    }

    @Override
    protected String acceptedId() {
        return MESSAGE_ID;
    }

    @Override
    protected String errorText(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> "";
            case BAD_SENDER -> "Domain mg.acme.example is not allowed to send";
            case AUTH_FAILURE -> "Forbidden";
            case RATE_LIMITED -> "Too many requests";
            case SERVER_ERROR -> "Internal Server Error";
            case TIMEOUT -> "no answer within the timeout";
        };
    }

    @Override
    protected int statusCode(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> 200;
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

    // Mailgun specifics, beyond the kit.

    @Test
    void it_posts_a_multipart_form_to_the_domains_messages_with_basic_auth_as_api() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(plainEmail());
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v3/mg.acme.example/messages");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo(
                "Basic " + Base64.getEncoder().encodeToString(("api:" + API_KEY).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getHeaders().get("Content-Type")).startsWith("multipart/form-data; boundary=");
    }

    @Test
    void the_full_email_is_sent_as_the_documented_form_fields() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(fullEmail());
        List<Field> form = form(server.takeRequest());
        assertThat(form).extracting(Field::name).containsExactly("from", "to", "to", "cc", "bcc", "subject", "text",
                "html", "h:Reply-To", "h:X-Campaign", "o:tag", "v:order", "attachment", "inline");
        assertThat(value(form, "from")).isEqualTo("\"Acme Billing\" <billing@acme.example>");
        assertThat(values(form, "to")).containsExactly("\"Ada Lovelace\" <ada@example.com>", "grace@example.org");
        assertThat(value(form, "cc")).isEqualTo("\"Carbon Copy\" <cc@example.net>");
        assertThat(value(form, "bcc")).isEqualTo("audit@acme.example");
        assertThat(value(form, "h:Reply-To")).isEqualTo("\"Acme Support\" <support@acme.example>");
        assertThat(value(form, "h:X-Campaign")).isEqualTo("spring-2027");
        assertThat(value(form, "o:tag")).isEqualTo("receipts");
        assertThat(value(form, "v:order")).isEqualTo("A-1042");
        Field pdf = form.get(12);
        assertThat(pdf.filename()).isEqualTo("receipt.pdf");
        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        Field logo = form.get(13);
        assertThat(logo.filename()).as("the name the HTML's cid:logo refers to").isEqualTo("logo");
        assertThat(logo.contentType()).isEqualTo("image/png");
    }

    @Test
    void the_message_id_is_returned_without_its_angle_brackets() {
        willAnswer(Answer.ACCEPTED);
        assertThat(provider.send(plainEmail()).providerMessageId()).isEqualTo(MESSAGE_ID)
                .doesNotStartWith("<");
    }

    @Test
    void the_request_id_header_is_kept_on_failures() {
        willAnswer(Answer.SERVER_ERROR);
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.requestId()).contains("req-500");
    }

    @Test
    void a_bad_request_is_permanent_with_mailguns_message() {
        server.enqueue(json(400, "{\"message\":\"'from' parameter is not a valid address. please check documentation\"}"));
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(400);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("'from' parameter is not a valid address");
    }

    @Test
    void an_unknown_domain_is_permanent() {
        server.enqueue(json(404, "{\"message\":\"Domain not found: mg.acme.example\"}"));
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.statusCode()).isEqualTo(404);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("Domain not found");
    }

    @Test
    void an_acceptance_without_an_id_is_a_permanent_failure() {
        server.enqueue(json(200, "{\"message\":\"Queued. Thank you.\"}"));
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).as("sending again could deliver it twice").isFalse();
        assertThat(failure.getMessage()).contains("'id'");
    }

    @Test
    void the_eu_region_sends_to_the_eu_api() {
        MailgunProvider eu = MailgunProvider.builder(API_KEY, DOMAIN).region(MailgunProvider.Region.EU).build();
        assertThat(eu.toString()).contains("https://api.eu.mailgun.net/v3/mg.acme.example/messages")
                .doesNotContain(API_KEY);
        eu.close();
        MailgunProvider us = MailgunProvider.builder(API_KEY, DOMAIN).build();
        assertThat(us.toString()).contains("https://api.mailgun.net/v3/mg.acme.example/messages");
        us.close();
    }

    @Test
    void a_base_url_with_a_trailing_slash_or_a_prefix_keeps_the_path_whole() {
        MailgunProvider slash = MailgunProvider.builder(API_KEY, DOMAIN).baseUrl("http://127.0.0.1:1/").build();
        assertThat(slash.toString()).contains("http://127.0.0.1:1/v3/mg.acme.example/messages");
        slash.close();
        MailgunProvider prefix = MailgunProvider.builder(API_KEY, DOMAIN).baseUrl("http://127.0.0.1:1/mailgun/")
                .build();
        assertThat(prefix.toString()).contains("http://127.0.0.1:1/mailgun/v3/mg.acme.example/messages");
        prefix.close();
    }

    @Test
    void the_builder_refuses_bad_settings_naming_them() {
        assertThatThrownBy(() -> MailgunProvider.builder(API_KEY, "acme")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("domain").hasMessageContaining("acme");
        assertThatThrownBy(() -> MailgunProvider.builder(API_KEY, "mg.acme.example/../x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domain");
        assertThatThrownBy(() -> MailgunProvider.builder("", DOMAIN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> MailgunProvider.builder("key with space", DOMAIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey")
                .hasMessageNotContaining("key with space");
        assertThatThrownBy(() -> MailgunProvider.builder(API_KEY, DOMAIN).baseUrl("not a url"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> MailgunProvider.builder(API_KEY, DOMAIN).timeout(Duration.ofMinutes(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void the_domain_is_kept_in_lower_case() {
        MailgunProvider upper = MailgunProvider.builder(API_KEY, "MG.Acme.Example").build();
        assertThat(upper.toString()).contains("domain=mg.acme.example");
        upper.close();
    }
}
