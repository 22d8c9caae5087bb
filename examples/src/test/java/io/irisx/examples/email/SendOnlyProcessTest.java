package io.irisx.examples.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two processes on one PostgreSQL database: one whose email module is send-only queues the email and sends nothing;
 * the other, with a provider, works the EMAIL channel and sends it through a local server speaking Postmark's email
 * API (postmarkapp.com/developer/api/email-api: POST /email with X-Postmark-Server-Token).
 */
class SendOnlyProcessTest {

    private final MockWebServer postmark = new MockWebServer();
    private Database database;

    @BeforeEach
    void start() throws Exception {
        postmark.start();
        database = TestDatabases.postgres();
    }

    @AfterEach
    void stop() {
        postmark.close();
        database.close();
    }

    @Test
    void a_send_only_process_queues_and_a_worker_process_sends() {
        SealingKeys keys = SealingKeys.generate("k1");
        postmark.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"To\":\"ada@example.com\",\"SubmittedAt\":\"2030-01-01T00:00:00Z\","
                        + "\"MessageID\":\"0a129aee-e1cd-480d-b08d-4f48548ff48d\",\"ErrorCode\":0,\"Message\":\"OK\"}")
                .build());
        MessageId id;
        try (Irisx web = Irisx.builder().dataSource(database.dataSource()).sealingKeys(keys)
                .install(EmailModule.builder().sendOnly().build()).build()) {
            EmailClient email = EmailClient.of(web.tenant("acme"));
            id = email.send(EmailMessage.builder().from("billing@acme.example").to("ada@example.com")
                    .subject("Your receipt").text("Thank you.").build());
            // Nothing works the EMAIL channel in this process: the email stays queued.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> email.get(id).status() == EmailStatus.QUEUED);
            assertThat(postmark.getRequestCount()).isZero();
            assertThat(web.health().checks()).noneSatisfy(check -> assertThat(check.name())
                    .isEqualTo("email.providers"));
        }

        try (Irisx worker = Irisx.builder().dataSource(database.dataSource()).sealingKeys(keys)
                .install(EmailModule.builder()
                        .provider(PostmarkProvider.builder("pm-server-token").baseUrl(postmark.url("/").toString())
                                .build())
                        .pollInterval(Duration.ofMillis(20))
                        .build())
                .build()) {
            EmailClient email = EmailClient.of(worker.tenant("acme"));
            await().atMost(Duration.ofSeconds(30)).until(() -> email.get(id).status() == EmailStatus.SENT);
            assertThat(email.get(id).provider()).contains("postmark");
            assertThat(postmark.getRequestCount()).isEqualTo(1);
            assertThat(worker.health().checks()).anySatisfy(check -> assertThat(check.name())
                    .isEqualTo("email.providers"));
        }
    }
}
