package io.irisx.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.health.Health;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Backlog;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.OutboxRecord;
import io.irisx.core.outbox.OutboxStatus;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.store.Database;
import io.irisx.examples.readme.CoreSection;
import io.irisx.examples.readme.EndpointsSection;
import io.irisx.examples.readme.FailuresSection;
import io.irisx.examples.readme.SigningSection;
import io.irisx.testing.LogCapture;
import io.irisx.webhooks.endpoint.Endpoint;
import io.irisx.webhooks.endpoint.MessageFilter;
import io.irisx.webhooks.endpoint.WebhookMessage;
import io.irisx.webhooks.signing.WebhookVerificationException;
import io.irisx.webhooks.signing.WebhookVerificationReason;
import io.irisx.webhooks.signing.WebhookVerifier;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The README's blocks of irisx-core, webhook signing, webhook endpoints and failure handling, each run as the README
 * shows it (io.irisx.examples.readme holds them, {@link ReadmeTest} checks they are the README's text), against local
 * receivers, with what the README says of each checked. The email and SMS sections are in
 * {@link ReadmeChannelExamplesTest}; the blocks on PostgreSQL and JetStream in {@link ReadmeProductionExamplesTest}.
 */
class ReadmeExamplesTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final SsrfPolicy LOOPBACK_ALLOWED = SsrfPolicy.builder().allow("127.0.0.0/8").build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TenantId ACME = TenantId.of("acme");
    private static final String RECEIPT = "{\"to\":\"ada@example.com\"}";

    @Test
    @DisplayName("irisx-core: the work queued under an idempotency key is done once by the host's worker, and kept")
    void coreEmbedded() throws Exception {
        EmbeddedDefaults.clean();

        CoreSection.embedded(new ShutdownOnceWorkIsDone());

        try (Irisx irisx = Irisx.builder().build()) {
            MessageId again = irisx.outbox().publish(Envelope.of(ACME, Channel.EMAIL, RECEIPT)
                    .withIdempotencyKey("order-1042-receipt"));
            OutboxRecord record = ((JdbcOutbox) irisx.outbox()).find(ACME, again).orElseThrow();
            assertThat(record.status()).as("the first run's record, found again by its key").isEqualTo(OutboxStatus.DONE);
            assertThat(record.attempts()).isEqualTo(1);
            assertThat(record.envelope().payload()).isEqualTo(RECEIPT);
            assertThat(irisx.backlog().of(Channel.EMAIL).pending()).isZero();
        }
        assertThat(EmbeddedDefaults.DIRECTORY.resolve("irisx.mv.db")).exists();
    }

    @Test
    @DisplayName("signing: the block's signature verifies, as a Map or as HttpHeaders, and a changed body does not")
    void signing() {
        byte[] body = "{\"type\":\"email.sent\",\"data\":{\"messageId\":\"msg_1\"}}".getBytes(StandardCharsets.UTF_8);

        SigningSection.Signed signed = SigningSection.signAndVerify(body);

        assertThat(signed.headers().id()).isEqualTo("evt_1");
        assertThat(signed.headers().signature()).startsWith("v1,");
        assertThat(signed.headers().timestamp()).isCloseTo(Instant.now().getEpochSecond(), within(60L));
        signed.verifier().verify(HttpHeaders.of(signed.headers().asMap(), (name, value) -> true), body);
        byte[] changed = "{\"type\":\"email.sent\",\"data\":{\"messageId\":\"msg_2\"}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> signed.verifier().verify(signed.headers().asMap(), changed))
                .isInstanceOfSatisfying(WebhookVerificationException.class, refused ->
                        assertThat(refused.reason()).isEqualTo(WebhookVerificationReason.NO_MATCHING_SIGNATURE));
    }

    @Test
    @SuppressWarnings("try") // the runtime is only closed: the block's clients reach it
    @DisplayName("webhook endpoints: the host's event, emitted in its transaction, is posted signed with the endpoint's"
            + " secret and custom header once the transaction commits")
    void webhookEndpoints() throws Exception {
        EmbeddedDefaults.clean();
        Event event = Event.of(EventType.EMAIL_DELIVERED, ACME, Clock.systemUTC(),
                Map.of("messageId", MessageId.generate().value()));
        try (CustomerReceiver receiver = CustomerReceiver.expecting(1, TIMEOUT);
                Database host = EmbeddedDefaults.database();
                Connection connection = host.dataSource().getConnection()) {
            connection.setAutoCommit(false);

            EndpointsSection.Created created = EndpointsSection.endpoints(LOOPBACK_ALLOWED, receiver.url(), connection,
                    event);

            try (Irisx irisx = created.irisx()) {
                Endpoint endpoint = created.created().endpoint();
                assertThat(endpoint.eventTypes()).containsExactlyInAnyOrder("email.delivered", "email.bounced");
                assertThat(created.secret()).startsWith("whsec_");
                assertThat(created.endpoints().messages(endpoint.id(), MessageFilter.all(), PageRequest.first()).items())
                        .as("nothing is queued before the host's transaction commits").isEmpty();
                connection.commit();

                RecordedRequest webhook = receiver.await(1).get(0);
                byte[] body = webhook.getBody().toByteArray();
                WebhookVerifier.builder().secret(created.secret()).build()
                        .verify(webhook.getHeaders().toMultimap(), body);
                assertThat(webhook.getHeaders().get("X-Acme-Route")).isEqualTo("mail");
                JsonNode payload = JSON.readTree(body);
                assertThat(payload.path("type").asText()).isEqualTo("email.delivered");
                assertThat(payload.path("data").path("messageId").asText())
                        .isEqualTo(JSON.readTree(event.data()).path("messageId").asText());
                WebhookMessage message = created.endpoints()
                        .messages(endpoint.id(), MessageFilter.all(), PageRequest.first()).items().get(0);
                assertThat(webhook.getHeaders().get("webhook-id")).isEqualTo(message.id().value());
                assertThat(message.eventId()).isEqualTo(event.id());
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the worker is only closed: it holds the work in flight on its own thread
    @DisplayName("when something fails: health is UP and the work held by a worker is logged with its worker")
    void healthAndBacklog(@TempDir Path data) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Irisx irisx = Irisx.builder().dataDirectory(data).build();
                LogCapture log = LogCapture.start()) {
            MessageId id = irisx.outbox().publish(Envelope.of(ACME, Channel.EMAIL, RECEIPT));
            try (Subscription worker = irisx.outbox().consume(Channel.EMAIL, delivery -> {
                release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return Outcome.done();
            }, ConsumeOptions.defaults())) {
                Awaitility.await().atMost(TIMEOUT).until(() -> irisx.backlog().of(Channel.EMAIL).inFlight() == 1);

                FailuresSection.Observed observed = FailuresSection.healthAndBacklog(irisx,
                        LoggerFactory.getLogger(FailuresSection.class));

                release.countDown();
                assertThat(observed.health().status()).isEqualTo(Health.Status.UP);
                assertThat(observed.health().checks()).extracting(Health.Check::name)
                        .contains("database", "outbox", "backlog.email");
                Backlog.ChannelBacklog email = observed.email();
                assertThat(email.inFlight()).isEqualTo(1);
                assertThat(email.longestInFlight()).singleElement()
                        .satisfies(work -> assertThat(work.envelope().id()).isEqualTo(id));
                String owner = email.longestInFlight().get(0).owner();
                assertThat(log.lines("INFO", FailuresSection.class.getName())).singleElement().asString()
                        .contains(id.value(), " held by " + owner + " since ", ": first attempt");
            }
        }
    }

    /**
     * The host's shutdown signal the README's irisx-core block waits for: here it comes once the EMAIL work is done,
     * which {@link #await()} watches in the embedded database through a pool of its own.
     */
    private static final class ShutdownOnceWorkIsDone extends CountDownLatch {

        ShutdownOnceWorkIsDone() {
            super(1);
        }

        @Override
        public void await() throws InterruptedException {
            try (Database database = EmbeddedDefaults.database()) {
                Awaitility.await("the EMAIL work done").atMost(TIMEOUT).until(() -> {
                    Backlog.ChannelBacklog email = OutboxTable.backlog(database, Instant.now(), 0).of(Channel.EMAIL);
                    return email.pending() == 0 && email.inFlight() == 0;
                });
            }
            countDown();
            super.await();
        }
    }
}
