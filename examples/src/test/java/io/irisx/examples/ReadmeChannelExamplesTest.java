package io.irisx.examples;

import static io.irisx.examples.ReadmeExamplesTest.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Irisx;
import io.irisx.core.id.MessageId;
import io.irisx.examples.readme.EmailSection;
import io.irisx.examples.readme.SmsSection;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.StatusChange;
import io.irisx.messaging.email.elasticemail.ElasticEmailProvider;
import io.irisx.messaging.email.sendgrid.SendGridProvider;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.messaging.sms.Segments;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.testing.TwilioSignatures;
import io.irisx.testkit.sms.LocalTwilio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's email and SMS sections, each run as the README shows it on the embedded defaults, with its providers
 * pointed at local servers speaking their documented APIs: Elastic Email v4 ({@code POST /v4/emails/transactional},
 * answering {@code {"TransactionID","MessageID"}}), SendGrid v3 ({@code POST /v3/mail/send}, 202 with
 * {@code X-Message-Id}) and Twilio's Messages API ({@link LocalTwilio}).
 */
class ReadmeChannelExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS_URL = "https://hooks.acme.example/twilio/status";
    private static final String INBOUND_URL = "https://hooks.acme.example/twilio/inbound";

    @Test
    @DisplayName("email: acme's templated email with its attachment is sent by Elastic Email, globex's by SendGrid")
    void email() throws Exception {
        EmbeddedDefaults.clean();
        byte[] pdf = "%PDF-1.4\n% the terms\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        try (ProviderApi elastic = new ProviderApi(request -> json(200,
                "{\"TransactionID\":\"e9173e6a-e237-4174-a06a-d8547d82630e\",\"MessageID\":\"Dw7ZNxeDhF8F5FDrJVYMaQ2\"}"));
                ProviderApi sendGrid = new ProviderApi(request -> new MockResponse.Builder().code(202)
                        .addHeader("X-Message-Id", "Ua9z9lSTSaqYBWJe_Xfc-Q").build())) {

            EmailSection.Sent sent = EmailSection.email(
                    ElasticEmailProvider.builder("elastic-test-key").baseUrl(elastic.url("/v4")).build(),
                    SendGridProvider.builder("SG.test-key.secret").baseUrl(sendGrid.url("")).build(),
                    SendGridProvider.builder("SG.test-key.secret").baseUrl(sendGrid.url("")).build(),
                    pdf);

            try (Irisx irisx = sent.irisx()) {
                Email email = awaitSent(sent.email(), sent.id());
                assertThat(email.provider()).contains("elasticemail");
                assertThat(sent.email().history(sent.id())).extracting(StatusChange::status)
                        .containsExactly(EmailStatus.QUEUED, EmailStatus.SENT);
                JsonNode request = JSON.readTree(elastic.requests.get(0).getBody().utf8());
                assertThat(elastic.requests.get(0).getUrl().encodedPath()).isEqualTo("/v4/emails/transactional");
                assertThat(request.path("Recipients").path("To").get(0).asText()).contains("ada@example.com");
                assertThat(request.path("Content").path("Subject").asText()).isEqualTo("Welcome, Ada");
                assertThat(request.path("Content").path("Body").toString()).contains("Hello Ada", "<p>Hello Ada</p>");
                JsonNode attachment = request.path("Content").path("Attachments").get(0);
                assertThat(attachment.path("Name").asText()).isEqualTo("terms.pdf");
                assertThat(Base64.getDecoder().decode(attachment.path("BinaryContent").asText())).isEqualTo(pdf);

                EmailClient globex = EmailClient.of(irisx.tenant("globex"));
                MessageId receipt = globex.send(EmailMessage.builder().from("billing@globex.example")
                        .to("ada@example.com").subject("Your receipt").text("Thank you.").build());
                assertThat(awaitSent(globex, receipt).provider()).contains("sendgrid");
                assertThat(sendGrid.requests).singleElement()
                        .satisfies(r -> assertThat(r.getUrl().encodedPath()).isEqualTo("/v3/mail/send"));
                assertThat(elastic.requests).hasSize(1);
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the runtime is only closed: the block's clients reach it
    @DisplayName("SMS: a national number is stored in E.164, counted as one GSM-7 segment, sent, and Twilio's signed"
            + " callbacks move it to DELIVERED and answer HELP, while a forged one changes nothing")
    void sms() throws Exception {
        EmbeddedDefaults.clean();
        try (LocalTwilio twilio = new LocalTwilio()) {

            SmsSection.Sent sent = SmsSection.sms(twilio.provider(), LocalTwilio.AUTH_TOKEN);

            try (Irisx irisx = sent.irisx()) {
                Segments segments = sent.message().segments();
                assertThat(segments.encoding()).isEqualTo(Segments.Encoding.GSM_7);
                assertThat(segments.characters()).isEqualTo(19);
                assertThat(segments.segments()).isEqualTo(1);
                SmsClient sms = sent.sms();
                Awaitility.await().atMost(TIMEOUT).until(() -> sms.get(sent.id()).status() == SmsStatus.SENT);
                Sms stored = sms.get(sent.id());
                assertThat(stored.to()).isEqualTo("+447400123456");
                assertThat(twilio.requests()).singleElement().satisfies(request -> assertThat(request.getBody().utf8())
                        .contains("To=" + encode("+447400123456"), "StatusCallback=" + encode(STATUS_URL)));

                Map<String, String> delivered = new LinkedHashMap<>();
                delivered.put("MessageSid", stored.providerMessageId().orElseThrow());
                delivered.put("MessageStatus", "delivered");
                assertThat(sent.twilio().status(TwilioSignatures.signed(delivered, "Zm9yZ2Vk")
                        .as(CallbackRequest::post)).status()).isEqualTo(403);
                assertThat(sms.get(sent.id()).status()).isEqualTo(SmsStatus.SENT);
                assertThat(sent.twilio().status(TwilioSignatures.signed(LocalTwilio.AUTH_TOKEN, STATUS_URL, delivered)
                        .as(CallbackRequest::post)).status()).isEqualTo(204);
                assertThat(sms.get(sent.id()).status()).isEqualTo(SmsStatus.DELIVERED);

                assertThat(sent.twilio().inbound(help()).bodyText()).contains("Acme: reply STOP to opt out.");
            }
        }
    }

    private static Email awaitSent(EmailClient client, MessageId id) {
        Awaitility.await().atMost(TIMEOUT).until(() -> client.get(id).status() == EmailStatus.SENT);
        return client.get(id);
    }

    /** An incoming "HELP" from the SMS's recipient, signed by Twilio for the inbound URL. */
    private static CallbackRequest help() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + "e".repeat(32));
        params.put("AccountSid", LocalTwilio.ACCOUNT_SID);
        params.put("From", "+447400123456");
        params.put("To", "+447400654321");
        params.put("Body", "HELP");
        params.put("NumMedia", "0");
        return TwilioSignatures.signed(LocalTwilio.AUTH_TOKEN, INBOUND_URL, params).as(CallbackRequest::post);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** A provider's API on loopback: it answers each request with {@code answer} and keeps it; thread-safe. */
    private static final class ProviderApi extends Dispatcher implements AutoCloseable {
        final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
        private final MockWebServer web = new MockWebServer();
        private final Function<RecordedRequest, MockResponse> answer;

        ProviderApi(Function<RecordedRequest, MockResponse> answer) {
            this.answer = answer;
            web.setDispatcher(this);
            try {
                web.start(InetAddress.getByName("127.0.0.1"), 0);
            } catch (IOException e) {
                throw new UncheckedIOException("starting a provider API on loopback failed", e);
            }
        }

        /** The base URL {@code path} on this server. */
        String url(String path) {
            return "http://127.0.0.1:" + web.getPort() + path;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            return answer.apply(request);
        }

        @Override
        public void close() {
            web.close();
        }
    }
}
