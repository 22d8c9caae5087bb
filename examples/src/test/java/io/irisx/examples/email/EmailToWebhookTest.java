package io.irisx.examples.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.queue.TestNats;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.signing.WebhookVerifier;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An email from send to its tenant's webhook, as a host wires it: the email is queued, the sender hands it to a
 * local server speaking Postmark's email API (postmarkapp.com/developer/api/email-api: POST /email with
 * X-Postmark-Server-Token, answering {@code {"MessageID","ErrorCode":0,"Message":"OK"}}), the email is marked SENT,
 * its {@code email.sent} event fans out to the tenant's subscribed endpoint, and the delivery engine posts it signed
 * to a receiver that verifies it. Once on the embedded defaults, once on JetStream and PostgreSQL.
 */
class EmailToWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SsrfPolicy LOOPBACK_ALLOWED = SsrfPolicy.builder().allow("127.0.0.0/8").build();

    @TempDir
    Path data;

    private final MockWebServer postmark = new MockWebServer();
    private final MockWebServer receiver = new MockWebServer();
    private final String namespace = TestNats.namespace();

    @BeforeEach
    void startServers() throws Exception {
        postmark.start();
        receiver.start();
    }

    @AfterEach
    void stopServers() {
        postmark.close();
        receiver.close();
        TestNats.deleteStreams(namespace);
    }

    @Test
    void on_the_embedded_defaults() throws Exception {
        sendAndReceiveTheWebhook(Irisx.builder().dataDirectory(data));
    }

    @Test
    void on_jetstream_and_postgresql() throws Exception {
        sendAndReceiveTheWebhook(Irisx.builder()
                .dataSource(TestDatabases.postgres().dataSource())
                .sealingKeys(SealingKeys.generate("k1"))
                .outbox((database, clock, events) -> TestNats.outbox(TestNats.url(), namespace).build(database, clock, events)));
    }

    private void sendAndReceiveTheWebhook(Irisx.Builder builder) throws Exception {
        postmark.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"To\":\"ada@example.com\",\"SubmittedAt\":\"2030-01-01T00:00:00Z\","
                        + "\"MessageID\":\"b7bc2f4a-e38e-4336-af7d-e6c392c2f817\",\"ErrorCode\":0,\"Message\":\"OK\"}")
                .build());
        receiver.enqueue(new MockResponse.Builder().code(204).build());
        try (Irisx irisx = builder
                .install(WebhooksModule.builder().ssrfPolicy(LOOPBACK_ALLOWED).build())
                .install(EmailModule.builder()
                        .provider(PostmarkProvider.builder("pm-server-token").baseUrl(postmark.url("/").toString()).build())
                        .pollInterval(Duration.ofMillis(20))
                        .build())
                .build()) {
            Tenant acme = irisx.tenant("acme");
            CreatedEndpoint endpoint = WebhookEndpoints.of(acme)
                    .create(EndpointSpec.builder(receiver.url("/irisx").toString()).eventTypes("email.sent").build());
            EmailClient email = EmailClient.of(acme);
            MessageId id = email.send(EmailMessage.builder().from("billing@acme.example").to("ada@example.com")
                    .subject("Your receipt").text("Thank you.").tag("receipts").build());

            RecordedRequest sent = postmark.takeRequest(30, TimeUnit.SECONDS);
            assertThat(sent).isNotNull();
            assertThat(sent.getUrl().encodedPath()).isEqualTo("/email");
            assertThat(sent.getHeaders().get("X-Postmark-Server-Token")).isEqualTo("pm-server-token");

            RecordedRequest webhook = receiver.takeRequest(30, TimeUnit.SECONDS);
            assertThat(webhook).isNotNull();
            byte[] body = webhook.getBody().toByteArray();
            WebhookVerifier.builder().secret(endpoint.secret()).build()
                    .verify(webhook.getHeaders().toMultimap(), body);
            JsonNode payload = JSON.readTree(body);
            assertThat(payload.path("type").asText()).isEqualTo("email.sent");
            assertThat(payload.path("data").path("messageId").asText()).isEqualTo(id.value());
            assertThat(payload.path("data").path("provider").asText()).isEqualTo("postmark");
            assertThat(payload.path("data").path("providerMessageId").asText())
                    .isEqualTo("b7bc2f4a-e38e-4336-af7d-e6c392c2f817");

            Email stored = email.get(id);
            assertThat(stored.status()).isEqualTo(EmailStatus.SENT);
            assertThat(stored.provider()).contains("postmark");
        }
    }
}
