package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.usage.UsageRecord;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.MessageFilter;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhookMessage;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.signing.WebhookVerifier;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Webhooks of test-mode work, end to end in a runtime with email and webhooks installed, on each database: a tenant
 * has a live endpoint and a test endpoint, each posting to a local receiver of its own; the {@code email.sent} of a
 * test-mode email (sent by the built-in sandbox) reaches only the test endpoint and is not metered, and that of a
 * live email (sent through a local server speaking Postmark's email API,
 * https://postmarkapp.com/developer/api/email-api: {@code POST /email} with {@code X-Postmark-Server-Token},
 * answered {@code {To, SubmittedAt, MessageID, ErrorCode: 0, Message: "OK"}}) reaches only the live endpoint and is
 * metered as one {@code WEBHOOK_DELIVERY}.
 */
@OnEachDialect
class TestModeWebhooksTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    Database.Dialect dialect;
    private final MockWebServer postmark = new MockWebServer();
    private final MockWebServer liveReceiver = new MockWebServer();
    private final MockWebServer testReceiver = new MockWebServer();
    private Database database;
    private Irisx irisx;

    @BeforeEach
    void start() throws IOException {
        for (MockWebServer server : List.of(postmark, liveReceiver, testReceiver)) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        }
        database = TestDatabases.of(dialect);
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1"))
                .install(WebhooksModule.builder().ssrfPolicy(SsrfPolicy.builder().allow("127.0.0.0/8").build())
                        .build())
                .install(EmailModule.builder()
                        .provider(PostmarkProvider.builder("pm-live-token")
                                .baseUrl("http://127.0.0.1:" + postmark.getPort()).build())
                        .pollInterval(Duration.ofMillis(20)).build())
                .build();
        irisx.tenants().create(ACME, "Acme", Map.of());
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
        for (MockWebServer server : List.of(postmark, liveReceiver, testReceiver)) {
            server.close();
        }
    }

    @Test
    void a_test_emails_event_reaches_only_the_test_endpoint_and_a_live_ones_only_the_live_endpoint()
            throws Exception {
        Tenant acme = irisx.tenant(ACME);
        WebhookEndpoints endpoints = WebhookEndpoints.of(acme);
        CreatedEndpoint live = endpoints.create(EndpointSpec.builder(receiverUrl(liveReceiver))
                .eventTypes("email.sent").build());
        CreatedEndpoint test = endpoints.create(EndpointSpec.builder(receiverUrl(testReceiver))
                .eventTypes("email.sent").testMode(true).build());
        assertThat(live.endpoint().testMode()).isFalse();
        assertThat(endpoints.get(test.endpoint().id()).testMode()).isTrue();
        liveReceiver.enqueue(new MockResponse.Builder().code(204).build());
        testReceiver.enqueue(new MockResponse.Builder().code(204).build());
        postmark.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"To\":\"ada@example.com\",\"SubmittedAt\":\"2030-01-01T00:00:00Z\","
                        + "\"MessageID\":\"b7bc2f4a-e38e-4336-af7d-e6c392c2f817\",\"ErrorCode\":0,\"Message\":\"OK\"}")
                .build());

        MessageId testEmail = EmailClient.of(acme.testMode()).send(mail());
        RecordedRequest testWebhook = testReceiver.takeRequest(30, TimeUnit.SECONDS);
        assertThat(testWebhook).isNotNull();
        JsonNode testPayload = verified(test, testWebhook);
        assertThat(testPayload.path("type").asText()).isEqualTo("email.sent");
        assertThat(testPayload.path("data").path("messageId").asText()).isEqualTo(testEmail.value());
        assertThat(testPayload.path("data").path("test").asBoolean()).isTrue();
        assertThat(EmailClient.of(acme.testMode()).get(testEmail).provider()).contains("sandbox");

        MessageId liveEmail = EmailClient.of(acme).send(mail());
        RecordedRequest liveWebhook = liveReceiver.takeRequest(30, TimeUnit.SECONDS);
        assertThat(liveWebhook).isNotNull();
        JsonNode livePayload = verified(live, liveWebhook);
        assertThat(livePayload.path("data").path("messageId").asText()).isEqualTo(liveEmail.value());
        assertThat(livePayload.path("data").has("test")).isFalse();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> EmailClient.of(acme).get(liveEmail).status() == EmailStatus.SENT);

        WebhookMessage toTest = awaitSucceeded(endpoints, test.endpoint().id());
        WebhookMessage toLive = awaitSucceeded(endpoints, live.endpoint().id());
        // Each receiver heard exactly its own event: no test event went live, no live event went to test.
        assertThat(testReceiver.getRequestCount()).isEqualTo(1);
        assertThat(liveReceiver.getRequestCount()).isEqualTo(1);
        assertThat(postmark.getRequestCount()).isEqualTo(1);

        List<UsageRecord> usage = acme.usage().records(LocalDate.now(ZoneOffset.UTC).minusDays(1),
                LocalDate.now(ZoneOffset.UTC).plusDays(1), PageRequest.first(10)).items();
        assertThat(usage).filteredOn(record -> record.unit() == UsageUnit.WEBHOOK_DELIVERY)
                .extracting(UsageRecord::subject).containsExactly(toLive.id().value());
        assertThat(usage).extracting(UsageRecord::subject)
                .doesNotContain(toTest.id().value(), testEmail.value()).contains(liveEmail.value());
    }

    private static EmailMessage mail() {
        return EmailMessage.builder().from("hello@acme.example").to("ada@example.com").subject("Your receipt")
                .text("Thanks").build();
    }

    private static String receiverUrl(MockWebServer receiver) {
        return "http://127.0.0.1:" + receiver.getPort() + "/irisx";
    }

    private static JsonNode verified(CreatedEndpoint endpoint, RecordedRequest request) throws IOException {
        byte[] body = request.getBody().toByteArray();
        WebhookVerifier.builder().secret(endpoint.secret()).build().verify(request.getHeaders().toMultimap(), body);
        return JSON.readTree(body);
    }

    private static WebhookMessage awaitSucceeded(WebhookEndpoints endpoints, EndpointId endpoint) {
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoints.messages(endpoint, MessageFilter.all(),
                PageRequest.first()).items().stream().anyMatch(message -> message.status() == MessageStatus.SUCCEEDED));
        return endpoints.messages(endpoint, MessageFilter.all(), PageRequest.first()).items().get(0);
    }
}
