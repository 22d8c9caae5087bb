package io.irisx.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Irisx;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.queue.TestNats;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application as a host writes it, configured by properties alone: Tomcat and Actuator, a Hikari
 * DataSource on the test PostgreSQL (a schema of its own), the JetStream outbox on the test NATS server (a namespace
 * of its own), and the email module sending through a local server speaking Postmark's API. An email reaches SENT,
 * the outbox is metered in the application's registry, and {@code /actuator/health} reports the {@code irisx}
 * component with its checks.
 */
@SpringBootTest(classes = IrisxApplicationTest.Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "management.endpoint.health.show-details=always",
                "management.endpoints.web.exposure.include=health"})
@DirtiesContext
class IrisxApplicationTest {

    private static final String POSTMARK_TOKEN = "f3a1c9e2-7b44-4d0e-9c1a-55e0b7d2a6c8";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockWebServer POSTMARK = LocalEmailApis.start();
    private static final String NAMESPACE = TestNats.namespace();
    private static final String SCHEMA_URL = newSchema();

    @Autowired
    Irisx irisx;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meterRegistry;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> SCHEMA_URL);
        registry.add("irisx.sealing-keys", () -> Starter.sealingKey("key-2030"));
        registry.add("irisx.outbox.type", () -> "jetstream");
        registry.add("irisx.outbox.jetstream.url", TestNats::url);
        registry.add("irisx.outbox.jetstream.namespace", () -> NAMESPACE);
        registry.add("irisx.email.postmark.server-token", () -> POSTMARK_TOKEN);
        registry.add("irisx.email.postmark.base-url", () -> POSTMARK.url("/").toString());
    }

    @AfterAll
    static void stopPostmark() {
        POSTMARK.close();
    }

    @Test
    void an_email_is_sent_through_postmark_and_reaches_sent() throws Exception {
        POSTMARK.enqueue(LocalEmailApis.postmarkAccepted("ada@example.com"));
        assertThat(irisx.modules()).containsExactly("webhooks", "email");
        assertThat(irisx.database().dataSource()).isSameAs(dataSource);

        EmailClient email = EmailClient.of(irisx.tenant("acme"));
        MessageId id = email.send(EmailMessage.builder().from("billing@acme.example").to("ada@example.com")
                .subject("Your receipt").text("Thank you.").build());

        RecordedRequest sent = POSTMARK.takeRequest(30, TimeUnit.SECONDS);
        assertThat(sent).isNotNull();
        assertThat(sent.getUrl().encodedPath()).isEqualTo("/email");
        assertThat(sent.getHeaders().get("X-Postmark-Server-Token")).isEqualTo(POSTMARK_TOKEN);
        JsonNode body = JSON.readTree(sent.getBody().utf8());
        assertThat(body.path("To").asText()).isEqualTo("ada@example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> email.get(id).status() == EmailStatus.SENT);
        assertThat(email.get(id).providerMessageId()).contains(LocalEmailApis.POSTMARK_MESSAGE_ID);
        assertThat(meterRegistry.find("irisx.outbox.published").tag("channel", "email").counter())
                .satisfies(counter -> assertThat(counter.count()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void the_health_endpoint_reports_irisx_with_its_checks() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode irisxHealth = JSON.readTree(response.body()).path("components").path("irisx");
        assertThat(irisxHealth.path("status").asText()).isEqualTo("UP");
        assertThat(irisxHealth.path("details").path("irisx").asText()).isEqualTo("UP");
        assertThat(irisxHealth.path("details").path("database").path("status").asText()).isEqualTo("UP");
        assertThat(irisxHealth.path("details").path("outbox").path("status").asText()).isEqualTo("UP");
        assertThat(irisxHealth.path("details").path("outbox").path("detail").asText()).contains("NATS");
    }

    private static String newSchema() {
        try (Database schema = TestDatabases.emptyPostgres()) {
            return TestDatabases.url(schema);
        }
    }

    /** The application: auto-configuration only, and the test streams removed once IRISX has closed. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        DisposableBean testStreams() {
            // Beans are destroyed after the lifecycle has stopped, and so after the runtime closed its outbox.
            return () -> TestNats.deleteStreams(NAMESPACE);
        }
    }
}
