package io.irisx.messaging.email.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.MimeEmails;
import io.irisx.messaging.email.internal.ReceivedMime;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.testkit.email.EmailProviderContractKit;
import io.irisx.testkit.email.ReceivedEmail;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
import software.amazon.awssdk.services.sesv2.model.MessageTag;

/**
 * {@link SesProvider} against a local server speaking the SES v2 wire format, as documented at
 * <ul>
 *   <li>https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html: {@code POST
 *       /v2/email/outbound-emails}, JSON {@code FromEmailAddress}, {@code Destination {ToAddresses, CcAddresses,
 *       BccAddresses}}, {@code ReplyToAddresses}, {@code Content {Raw {Data}}} (base64 MIME), {@code EmailTags},
 *       {@code ConfigurationSetName}; 200 {@code {"MessageId": "…"}}; errors MessageRejected (400),
 *       TooManyRequestsException (429), …</li>
 *   <li>https://docs.aws.amazon.com/ses/latest/APIReference-V2/CommonErrors.html: InternalFailure (500),
 *       UnrecognizedClientException / SignatureDoesNotMatch (403); error bodies {@code {"message": "…"}} with the
 *       code in {@code x-amzn-ErrorType} and the request id in {@code x-amzn-RequestId}</li>
 *   <li>https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageTag.html: tag names and values of ASCII
 *       letters, digits, {@code _} and {@code -}, at most 256</li>
 *   <li>https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html: {@code Authorization:
 *       AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/ses/aws4_request, SignedHeaders=…, Signature=…}</li>
 * </ul>
 */
class SesProviderTest extends EmailProviderContractKit {

    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String MESSAGE_ID = "0100018f3c9e6a4b-5c1d7e2f-8a9b-4c3d-9e0f-1a2b3c4d5e6f-000000";
    private static final String REQUEST_ID = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MockWebServer server = new MockWebServer();
    private SesProvider provider;

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        provider = builder().build();
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private SesProvider.Builder builder() {
        return SesProvider.builder("eu-west-1")
                .credentials(KEY_ID, SECRET)
                .configurationSet("transactional")
                .endpoint(URI.create("http://127.0.0.1:" + server.getPort()))
                .timeout(Duration.ofSeconds(1));
    }

    @Override
    protected EmailProvider provider() {
        return provider;
    }

    @Override
    protected void willAnswer(Answer answer) {
        server.enqueue(switch (answer) {
            case ACCEPTED -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .addHeader("x-amzn-RequestId", REQUEST_ID).body("{\"MessageId\":\"" + MESSAGE_ID + "\"}").build();
            case TIMEOUT -> new MockResponse.Builder().code(200).headersDelay(3, TimeUnit.SECONDS)
                    .body("{\"MessageId\":\"" + MESSAGE_ID + "\"}").build();
            default -> error(statusCode(answer), errorType(answer), errorText(answer));
        });
    }

    private static MockResponse error(int code, String type, String message) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .addHeader("x-amzn-RequestId", REQUEST_ID)
                .addHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazonaws.sesv2/")
                .body("{\"message\":\"" + message + "\"}").build();
    }

    private static String errorType(Answer answer) {
        return switch (answer) {
            case BAD_SENDER -> "MessageRejected";
            case AUTH_FAILURE -> "UnrecognizedClientException";
            case RATE_LIMITED -> "TooManyRequestsException";
            case SERVER_ERROR -> "InternalFailure";
            default -> throw new IllegalArgumentException(answer.name());
        };
    }

    @Override
    protected ReceivedEmail received() throws Exception {
        JsonNode body = lastBody();
        MimeMessage mime = ReceivedMime.parse(Base64.getDecoder().decode(body.path("Content").path("Raw").path("Data").asText()));
        List<EmailAddress> bcc = new ArrayList<>();
        body.path("Destination").path("BccAddresses").forEach(a -> bcc.add(EmailAddress.of(a.asText())));
        List<String> tags = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        body.path("EmailTags").forEach(tag -> {
            if (tag.path("Value").asText().equals("true")) {
                tags.add(tag.path("Name").asText());
            } else {
                metadata.put(tag.path("Name").asText(), tag.path("Value").asText());
            }
        });
        return ReceivedMime.read(mime, bcc, tags, metadata);
    }

    private RecordedRequest last;

    private JsonNode lastBody() throws Exception {
        last = server.takeRequest();
        return JSON.readTree(last.getBody().utf8());
    }

    @Override
    protected String acceptedId() {
        return MESSAGE_ID;
    }

    @Override
    protected String errorText(Answer answer) {
        return switch (answer) {
            case BAD_SENDER -> "Email address is not verified. The following identities failed the check in region"
                    + " EU-WEST-1: billing@acme.example";
            case AUTH_FAILURE -> "The security token included in the request is invalid.";
            case RATE_LIMITED -> "Maximum sending rate exceeded.";
            case SERVER_ERROR -> "The request processing has failed because of an unknown error, exception or failure.";
            case TIMEOUT -> "no answer within the timeout";
            case ACCEPTED -> throw new IllegalArgumentException("accepted");
        };
    }

    @Override
    protected int statusCode(Answer answer) {
        return switch (answer) {
            case ACCEPTED -> 200;
            case BAD_SENDER -> 400;
            case AUTH_FAILURE -> 403;
            case RATE_LIMITED -> 429;
            case SERVER_ERROR -> 500;
            case TIMEOUT -> 0;
        };
    }

    @Override
    protected List<String> secrets() {
        return List.of(SECRET);
    }

    @Override
    protected Set<Feature> features() {
        return Set.of(Feature.INLINE_ATTACHMENTS, Feature.HEADERS, Feature.TAGS, Feature.METADATA);
    }

    @Test
    void it_posts_to_outbound_emails_signed_with_sigv4_for_ses_in_its_region() throws Exception {
        willAnswer(Answer.ACCEPTED);
        provider.send(plainEmail());
        lastBody();

        assertThat(last.getMethod()).isEqualTo("POST");
        assertThat(last.getUrl().encodedPath()).isEqualTo("/v2/email/outbound-emails");
        assertThat(last.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(last.getHeaders().get("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
        assertThat(last.getHeaders().get("Authorization")).matches("AWS4-HMAC-SHA256 Credential=" + KEY_ID
                + "/\\d{8}/eu-west-1/ses/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}");
        assertThat(last.getHeaders().get("Authorization")).doesNotContain(SECRET);
    }

    @Test
    void temporary_credentials_send_their_session_token() throws Exception {
        try (SesProvider temporary = builder().credentials(KEY_ID, SECRET, "FwoGZXIvYXdzEXAMPLETOKEN").build()) {
            willAnswer(Answer.ACCEPTED);
            temporary.send(plainEmail());
        }
        lastBody();
        assertThat(last.getHeaders().get("X-Amz-Security-Token")).isEqualTo("FwoGZXIvYXdzEXAMPLETOKEN");
        assertThat(last.getHeaders().get("Authorization")).contains("x-amz-security-token");
    }

    @Test
    void the_full_email_becomes_the_documented_json_fields_with_raw_mime_content() throws Exception {
        OutgoingEmail email = fullEmail();
        willAnswer(Answer.ACCEPTED);
        provider.send(email);
        JsonNode body = lastBody();

        assertThat(body.path("FromEmailAddress").asText()).isEqualTo("billing@acme.example");
        assertThat(body.path("Destination").path("ToAddresses")).extracting(JsonNode::asText)
                .containsExactly("ada@example.com", "grace@example.org");
        assertThat(body.path("Destination").path("CcAddresses")).extracting(JsonNode::asText)
                .containsExactly("cc@example.net");
        assertThat(body.path("Destination").path("BccAddresses")).extracting(JsonNode::asText)
                .containsExactly("audit@acme.example");
        assertThat(body.path("ReplyToAddresses")).extracting(JsonNode::asText).containsExactly("support@acme.example");
        assertThat(body.path("ConfigurationSetName").asText()).isEqualTo("transactional");
        assertThat(body.path("EmailTags").toString())
                .isEqualTo("[{\"Name\":\"order\",\"Value\":\"A-1042\"},{\"Name\":\"receipts\",\"Value\":\"true\"}]");
        assertThat(body.path("Content").has("Simple")).isFalse();

        MimeMessage mime = ReceivedMime.parse(Base64.getDecoder().decode(body.path("Content").path("Raw").path("Data").asText()));
        assertThat(mime.getMessageID()).isEqualTo(MimeEmails.messageId(email)).isEqualTo("<" + email.id() + "@acme.example>");
        assertThat(mime.getHeader("Bcc")).as("Bcc travels only in the Destination").isNull();
        assertThat(mime.getHeader("X-Campaign", null)).isEqualTo("spring-2027");
    }

    @Test
    void a_redelivered_email_carries_the_same_message_id_header() throws Exception {
        OutgoingEmail email = fullEmail();
        willAnswer(Answer.ACCEPTED);
        willAnswer(Answer.ACCEPTED);
        provider.send(email);
        provider.send(email);
        String first = ReceivedMime.parse(raw(lastBody())).getMessageID();
        String second = ReceivedMime.parse(raw(lastBody())).getMessageID();
        assertThat(second).isEqualTo(first);
    }

    private static byte[] raw(JsonNode body) {
        return Base64.getDecoder().decode(body.path("Content").path("Raw").path("Data").asText());
    }

    @Test
    void a_failure_carries_ses_request_id_and_error_type() {
        willAnswer(Answer.BAD_SENDER);
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.requestId()).contains(REQUEST_ID);
        assertThat(failure.getMessage()).contains("MessageRejected: Email address is not verified");
    }

    @Test
    void a_bad_signature_is_a_permanent_failure() {
        server.enqueue(error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the"
                + " signature you provided. Check your AWS Secret Access Key and signing method."));
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.statusCode()).isEqualTo(403);
        assertThat(failure.getMessage()).contains("SignatureDoesNotMatch: The request signature we calculated");
    }

    @Test
    void an_unavailable_service_is_retryable() {
        server.enqueue(error(503, "ServiceUnavailable", "Service is unavailable."));
        ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.send(plainEmail()));
        assertThat(failure.isRetryable()).isTrue();
        assertThat(failure.statusCode()).isEqualTo(503);
    }

    @Test
    void the_sdk_does_not_retry_on_its_own() {
        willAnswer(Answer.SERVER_ERROR);
        willAnswer(Answer.ACCEPTED);
        assertThatThrownBy(() -> provider.send(plainEmail())).isInstanceOf(ProviderException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_refused_connection_is_retryable_without_a_status() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        try (SesProvider nowhere = builder().endpoint(URI.create("http://127.0.0.1:" + closedPort)).build()) {
            ProviderException failure = catchThrowableOfType(ProviderException.class, () -> nowhere.send(plainEmail()));
            assertThat(failure.isRetryable()).isTrue();
            assertThat(failure.statusCode()).isZero();
        }
    }

    @Test
    void tag_and_metadata_text_outside_ses_characters_is_replaced_and_metadata_wins_a_name_clash() {
        OutgoingEmail email = new OutgoingEmail(MessageId.generate(), TenantId.of("acme"), "k",
                EmailAddress.of("billing@acme.example"), List.of(EmailAddress.of("ada@example.com")), List.of(),
                List.of(), List.of(), "Hi", "Hi", "", List.of(), Map.of(), List.of("spring sale", "kind"),
                new LinkedHashMap<>(Map.of("kind", "reçu@2027")));
        assertThat(SesClient.tags(email)).extracting(MessageTag::name, MessageTag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kind", "re_u_2027"),
                        org.assertj.core.groups.Tuple.tuple("spring_sale", "true"));
    }

    @Test
    void its_builder_refuses_bad_settings_at_once() {
        assertThatThrownBy(() -> SesProvider.builder("Europe")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region").hasMessageContaining("Europe");
        assertThatThrownBy(() -> SesProvider.builder("eu-west-1").credentials("short", SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessKeyId");
        assertThatThrownBy(() -> SesProvider.builder("eu-west-1").credentials(KEY_ID, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretAccessKey");
        assertThatThrownBy(() -> SesProvider.builder("eu-west-1").endpoint(URI.create("ftp://x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> SesProvider.builder("eu-west-1").configurationSet("a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configurationSet");
        assertThatThrownBy(() -> SesProvider.builder("eu-west-1").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> SesProvider.builder("eu-west-1").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("credentials");
    }
}
