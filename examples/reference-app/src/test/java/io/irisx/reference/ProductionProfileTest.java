package io.irisx.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app with its one switch thrown ({@code --spring.profiles.active=production}): IRISX on the app's PostgreSQL
 * DataSource (the test PostgreSQL, a schema of its own) and the NATS JetStream outbox (the test NATS server, a
 * namespace of its own), with sealing keys from the configuration. An email sent through the API reaches SENT.
 */
// Its own @SpringBootTest: no Stripe key, so this app takes no card payments (its top-up route is a 503).
@SpringBootTest(classes = {ReferenceApp.class, RouteRecorder.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("production")
@DirtiesContext
class ProductionProfileTest extends RunningApp {

    private static final String NAMESPACE = TestNats.namespace();

    @Autowired
    Irisx irisx;

    @Autowired
    DataSource dataSource;

    @DynamicPropertySource
    static void production(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", ProductionProfileTest::newSchema);
        registry.add("irisx.sealing-keys", ProductionProfileTest::sealingKey);
        registry.add("irisx.outbox.jetstream.url", TestNats::url);
        registry.add("irisx.outbox.jetstream.namespace", () -> NAMESPACE);
    }

    @AfterAll
    static void deleteStreams() {
        TestNats.deleteStreams(NAMESPACE);
    }

    @Test
    void the_production_profile_runs_on_postgresql_and_jetstream() {
        assertThat(irisx.database().dataSource()).isSameAs(dataSource);
        assertThat(irisx.database().dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
        String key = key(newTenant("prod"), "email:send", "email:read");

        String id = post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("p@example.com"),
                "subject", "On PostgreSQL and JetStream", "text", "x")).json().path("id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/emails/" + id, key).json().path("status")
                .asText().equals("SENT"));
        Answer topUp = call("POST", "/v1/billing/top-ups", key(newTenant("prod"), "billing:manage"),
                Map.of("amount", 20), Map.of("Idempotency-Key", "checkout-1"));
        AdminAndAuthTest.assertProblem(topUp, 503, "not-configured");
        assertThat(topUp.json().path("detail").asText()).contains("app.stripe-secret-key");
        assertThat(irisx.health().checks()).filteredOn(check -> check.name().equals("outbox"))
                .singleElement().satisfies(check -> assertThat(check.detail()).contains("NATS"));
        // The public health endpoint says UP or DOWN, and nothing of the database, the broker or the backlog.
        Answer health = get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("UP");
        assertThat(health.response().body()).doesNotContain("components", "details", "NATS", "outbox");
    }

    private static String newSchema() {
        try (Database schema = TestDatabases.emptyPostgres()) {
            return TestDatabases.url(schema);
        }
    }

    private static String sealingKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "prod-test=" + Base64.getEncoder().encodeToString(key);
    }
}
