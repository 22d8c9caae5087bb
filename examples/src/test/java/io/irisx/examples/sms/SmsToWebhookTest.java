package io.irisx.examples.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.twilio.TwilioCallbacks;
import io.irisx.queue.TestNats;
import io.irisx.testing.TwilioSignatures;
import io.irisx.testkit.sms.LocalTwilio;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.signing.WebhookVerifier;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An SMS from send to its tenant's webhook, on JetStream and PostgreSQL, as a host wires it: the message is queued,
 * the sender hands it to Twilio's Messages API on loopback ({@link LocalTwilio}), Twilio's signed status callback
 * reports it delivered, and the {@code sms.delivered} event fans out to the tenant's subscribed endpoint, where the
 * delivery engine posts it signed to a receiver that verifies it.
 */
class SmsToWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SsrfPolicy LOOPBACK_ALLOWED = SsrfPolicy.builder().allow("127.0.0.0/8").build();
    private static final String STATUS_URL = "https://hooks.acme.example/twilio/status";

    private final LocalTwilio twilio = new LocalTwilio();
    private final MockWebServer receiver = new MockWebServer();
    private final String namespace = TestNats.namespace();

    @AfterEach
    void stop() {
        twilio.close();
        receiver.close();
        TestNats.deleteStreams(namespace);
    }

    @Test
    void a_delivered_sms_reaches_the_tenants_webhook() throws Exception {
        receiver.enqueue(new MockResponse.Builder().code(204).build());
        receiver.start();
        try (Irisx irisx = Irisx.builder()
                .dataSource(TestDatabases.postgres().dataSource())
                .sealingKeys(SealingKeys.generate("k1"))
                .outbox((database, clock, events) -> TestNats.outbox(TestNats.url(), namespace).build(database, clock, events))
                .install(WebhooksModule.builder().ssrfPolicy(LOOPBACK_ALLOWED).build())
                .install(SmsModule.builder().provider(twilio.provider()).defaultRegion("GB").build())
                .build()) {
            Tenant acme = irisx.tenant("acme");
            CreatedEndpoint endpoint = WebhookEndpoints.of(acme)
                    .create(EndpointSpec.builder(receiver.url("/irisx").toString()).eventTypes("sms.delivered").build());
            SmsClient sms = SmsClient.of(acme);
            TwilioCallbacks callbacks = TwilioCallbacks.builder(acme, LocalTwilio.AUTH_TOKEN)
                    .statusUrl(STATUS_URL).build();
            MessageId id = sms.send(SmsMessage.builder().to("07400 123456").from("+447400654321")
                    .body("Your code is 123456").statusCallback(STATUS_URL).build());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sms.get(id).status() == SmsStatus.SENT);
            String sid = sms.get(id).providerMessageId().orElseThrow();
            RecordedRequest sent = twilio.requests().get(0);
            assertThat(sent.getBody().utf8()).contains("StatusCallback=" + java.net.URLEncoder.encode(STATUS_URL,
                    java.nio.charset.StandardCharsets.UTF_8));

            Map<String, String> report = new LinkedHashMap<>();
            report.put("MessageSid", sid);
            report.put("MessageStatus", "delivered");
            assertThat(callbacks.status(TwilioSignatures.signed(LocalTwilio.AUTH_TOKEN, STATUS_URL, report)
                    .as(CallbackRequest::post)).status()).isEqualTo(204);

            RecordedRequest webhook = receiver.takeRequest(30, TimeUnit.SECONDS);
            assertThat(webhook).isNotNull();
            byte[] body = webhook.getBody().toByteArray();
            WebhookVerifier.builder().secret(endpoint.secret()).build().verify(webhook.getHeaders().toMultimap(), body);
            JsonNode payload = JSON.readTree(body);
            assertThat(payload.path("type").asText()).isEqualTo("sms.delivered");
            assertThat(payload.path("data").path("messageId").asText()).isEqualTo(id.value());
            assertThat(payload.path("data").path("providerMessageId").asText()).isEqualTo(sid);
            assertThat(payload.path("data").path("to").asText()).isEqualTo("+447400123456");
            assertThat(sms.get(id).status()).isEqualTo(SmsStatus.DELIVERED);
        }
    }
}
