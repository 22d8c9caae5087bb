package io.irisx.testkit.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.usage.UsageRecord;
import io.irisx.core.usage.UsageUnit;
import io.irisx.testing.LogCapture;
import io.irisx.testing.MutableClock;
import io.irisx.testkit.internal.KitRuntime;
import io.irisx.webhooks.endpoint.AttemptOutcome;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.MessageFilter;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookAttempt;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhookMessage;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.signing.WebhookSecret;
import io.irisx.webhooks.signing.WebhookVerificationException;
import io.irisx.webhooks.signing.WebhookVerifier;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The webhook delivery engine end to end on an {@link Outbox}, as JUnit 5 tests: events emitted in an IRISX runtime
 * built as a host builds it, with the {@link WebhooksModule} installed, delivered to a real HTTP receiver
 * (MockWebServer) that checks every request with the IRISX {@link WebhookVerifier}, as a Standard Webhooks 1.0
 * consumer would (github.com/standard-webhooks/standard-webhooks, {@code spec/standard-webhooks.md}: headers,
 * signature, the webhook id kept across retries, 2xx success, 410 disabling). Time is a {@link MutableClock}: retry
 * delays are checked from recorded attempt times, and nothing sleeps for a backoff. JUnit makes an instance per test,
 * so an instance is used by one test's threads only.
 *
 * <p>An outbox of a host's own shows that it carries webhooks as IRISX's outboxes do: its test extends this kit, gives
 * a new database for each test and the outbox's factory, and removes after each test what the outbox keeps outside
 * the database, as the JetStream outbox's run does ({@code DeliveryEngineJetStreamPostgresTest} in IRISX's examples):
 *
 * <pre>{@code
 * class DeliveryEngineJetStreamPostgresTest extends DeliveryEngineContractKit {
 *
 *     private final String namespace = TestNats.namespace();
 *
 *     @Override
 *     protected Database newDatabase() {
 *         return TestDatabases.postgres();
 *     }
 *
 *     @Override
 *     protected Outbox.Factory outbox() {
 *         return (database, clock, events) -> TestNats.outbox(TestNats.url(), namespace)
 *                 .build(database, clock, events);
 *     }
 *
 *     @Override
 *     protected void cleanUp() {
 *         TestNats.deleteStreams(namespace);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit reads IRISX's log lines as slf4j-simple writes them: the test class path needs slf4j-simple as SLF4J's
 * backend.
 */
public abstract class DeliveryEngineContractKit {

    private static final Instant START = KitRuntime.START;
    private static final TenantId TENANT = TenantId.of("acme");
    /** The default policy, plus loopback, where the receiver listens. */
    private static final SsrfPolicy LOOPBACK_ALLOWED = SsrfPolicy.builder().allow("127.0.0.0/8").build();
    /** 1 s, 2 s, then exhausted, without jitter so that due times are exact. */
    private static final RetryPolicy POLICY = RetryPolicy.exponential(Duration.ofSeconds(1), 2, 2).jitter(0).build();

    private final MockWebServer receiver = new MockWebServer();
    /** The engine's meters. */
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private MutableClock clock;
    private Database database;
    private KitRuntime runtime;
    private WebhookEndpoints endpoints;

    /** A new database for one test (the kit's runtime migrates it); the kit closes it after the test. */
    protected abstract Database newDatabase();

    /** The outbox under test; by default the runtime's own, the {@link JdbcOutbox}. */
    protected Outbox.Factory outbox() {
        return JdbcOutbox.factory();
    }

    /** Removes what the outbox left outside the database (streams) after each test; nothing by default. */
    protected void cleanUp() {
    }

    @BeforeEach
    final void start() throws IOException {
        receiver.start(InetAddress.getByName("127.0.0.1"), 0);
        database = newDatabase();
        runtime = new KitRuntime(database, outbox());
        clock = runtime.clock();
        startRuntime(builder -> { });
    }

    @AfterEach
    final void stop() {
        try {
            runtime.close();
            database.close();
            receiver.close();
        } finally {
            cleanUp();
        }
    }

    /**
     * Starts the runtime, stopping the one running, as a process starting would: its webhooks module delivers with
     * the kit's retry policy and auto-disabling, metered, after {@code configure} has changed the runtime's builder.
     */
    private void startRuntime(Consumer<Irisx.Builder> configure) {
        startRuntime(WebhooksModule.builder().retryPolicy(POLICY).autoDisableAfter(Duration.ofMinutes(10))
                .autoDisableMinFailures(3), builder -> configure.accept(builder.meterRegistry(meters)));
    }

    /** Starts the runtime, stopping the one running, with the webhooks module {@code module} builds. */
    private void startRuntime(WebhooksModule.Builder module, Consumer<Irisx.Builder> configure) {
        runtime.start(module.ssrfPolicy(LOOPBACK_ALLOWED).callTimeout(Duration.ofSeconds(5)).build(), configure);
        endpoints = WebhookEndpoints.of(runtime.irisx().tenant(TENANT));
    }

    private String url(String path) {
        return receiver.url(path).newBuilder().host("127.0.0.1").build().toString();
    }

    private CreatedEndpoint endpoint(String... eventTypes) {
        return endpoints.create(EndpointSpec.builder(url("/hooks")).eventTypes(eventTypes).build());
    }

    private void emit(EventType type) {
        runtime.irisx().events().emit(Event.of(type, TENANT, clock, Map.of("id", "msg_x")));
    }

    private void answer(int status) {
        receiver.enqueue(new MockResponse.Builder().code(status).body("status " + status).build());
    }

    /** The next request the receiver got, verified as a Standard Webhooks consumer would with {@code endpoint}'s secret. */
    private RecordedRequest received(CreatedEndpoint endpoint) throws InterruptedException {
        RecordedRequest request = receiver.takeRequest(10, TimeUnit.SECONDS);
        assertThat(request).as("a delivery reached the receiver").isNotNull();
        WebhookVerifier.builder().secret(endpoint.secret()).clock(clock).build()
                .verify(request.getHeaders().toMultimap(), request.getBody().toByteArray());
        return request;
    }

    private WebhookMessage onlyMessage(EndpointId endpoint) {
        List<WebhookMessage> messages = endpoints.messages(endpoint, MessageFilter.all(), PageRequest.first()).items();
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    private WebhookMessage awaitStatus(MessageId id, MessageStatus status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoints.message(id).status() == status);
        return endpoints.message(id);
    }

    /** The tenant's usage records of the kit's days (its clock starts at {@link KitRuntime#START}). */
    private List<UsageRecord> usage() {
        LocalDate first = LocalDate.ofInstant(KitRuntime.START, ZoneOffset.UTC);
        return runtime.irisx().tenant(TENANT).usage().records(first, first.plusYears(1), PageRequest.first())
                .items();
    }

    private List<WebhookAttempt> attempts(MessageId id) {
        return endpoints.attempts(id, PageRequest.first()).items();
    }

    @Test
    @DisplayName("An event reaches a subscribed endpoint signed, as {type, timestamp, data}, and the attempt is logged")
    void delivers_a_signed_event() throws Exception {
        CreatedEndpoint endpoint = endpoint("email.sent");
        receiver.enqueue(new MockResponse.Builder().code(204).build());

        emit(EventType.EMAIL_SENT);

        RecordedRequest request = received(endpoint);
        WebhookMessage message = awaitStatus(onlyMessage(endpoint.endpoint().id()).id(), MessageStatus.SUCCEEDED);
        assertThat(request.getHeaders().get("webhook-id")).isEqualTo(message.id().value());
        assertThat(request.getBody().utf8()).isEqualTo(message.payload())
                .startsWith("{\"type\":\"email.sent\",\"timestamp\":\"2030-01-01T00:00:00Z\",\"data\":{\"id\":\"msg_x\"}");
        assertThat(attempts(message.id())).singleElement().satisfies(attempt -> {
            assertThat(attempt.statusCode()).hasValue(204);
            assertThat(attempt.responseBody()).isEmpty();
            assertThat(attempt.attemptedAt()).isEqualTo(START);
            // The request it sent, kept with it.
            assertThat(attempt.requestUrl()).hasValue(endpoint.endpoint().url());
            assertThat(attempt.requestHeaders()).containsEntry("webhook-id", message.id().value())
                    .containsEntry("webhook-signature", request.getHeaders().get("webhook-signature"))
                    .containsEntry("webhook-timestamp", request.getHeaders().get("webhook-timestamp"));
        });
        assertThat(usage()).containsExactly(new UsageRecord(message.id().value() + ":WEBHOOK_DELIVERY", TENANT,
                UsageUnit.WEBHOOK_DELIVERY, message.id().value(), 1, START));
    }

    @Test
    @DisplayName("After a secret rotation both secrets sign for the grace period, then only the new one")
    void rotation_signs_with_both_secrets_during_the_grace() throws Exception {
        CreatedEndpoint endpoint = endpoint("email.sent");
        WebhookSecret rotated = endpoints.rotateSecret(endpoint.endpoint().id());
        answer(200);
        answer(200);

        emit(EventType.EMAIL_SENT);
        RecordedRequest during = received(endpoint);
        assertThat(during.getHeaders().get("webhook-signature").split(" ")).hasSize(2);
        WebhookVerifier.builder().secret(rotated).clock(clock).build()
                .verify(during.getHeaders().toMultimap(), during.getBody().toByteArray());

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        emit(EventType.EMAIL_SENT);
        RecordedRequest after = receiver.takeRequest(10, TimeUnit.SECONDS);
        assertThat(after).isNotNull();
        assertThat(after.getHeaders().get("webhook-signature").split(" ")).hasSize(1);
        WebhookVerifier.builder().secret(rotated).clock(clock).build()
                .verify(after.getHeaders().toMultimap(), after.getBody().toByteArray());
        assertThatThrownBy(() -> WebhookVerifier.builder().secret(endpoint.secret()).clock(clock).build()
                .verify(after.getHeaders().toMultimap(), after.getBody().toByteArray()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    @DisplayName("Failures are retried on the policy's schedule with the same webhook-id, until a success")
    void retries_on_schedule() throws Exception {
        CreatedEndpoint endpoint = endpoint("email.sent");
        answer(500);
        answer(502);
        answer(200);

        emit(EventType.EMAIL_SENT);
        String firstId = received(endpoint).getHeaders().get("webhook-id");
        MessageId id = MessageId.parse(firstId);
        await().until(() -> attempts(id).size() == 1);
        assertThat(endpoints.message(id).nextAttemptAt()).hasValue(START.plusSeconds(1));
        assertThat(receiver.takeRequest(300, TimeUnit.MILLISECONDS)).as("nothing before the delay").isNull();

        clock.advance(Duration.ofSeconds(1));
        assertThat(received(endpoint).getHeaders().get("webhook-id")).isEqualTo(firstId);
        await().until(() -> attempts(id).size() == 2);
        assertThat(endpoints.message(id).nextAttemptAt()).hasValue(START.plusSeconds(3));

        clock.advance(Duration.ofSeconds(2));
        assertThat(received(endpoint).getHeaders().get("webhook-id")).isEqualTo(firstId);
        awaitStatus(id, MessageStatus.SUCCEEDED);
        assertThat(attempts(id)).extracting(WebhookAttempt::attemptedAt)
                .containsExactly(START, START.plusSeconds(1), START.plusSeconds(3));
        assertThat(attempts(id)).extracting(attempt -> attempt.statusCode().orElse(0)).containsExactly(500, 502, 200);
    }

    @Test
    @DisplayName("Without a retry policy, failures are retried on the Standard Webhooks schedule: about 5 s, then 5 min")
    void the_default_schedule_is_the_standard_webhooks_one() throws Exception {
        startRuntime(WebhooksModule.builder(), builder -> { });
        CreatedEndpoint endpoint = endpoint("email.sent");
        answer(500);
        answer(500);

        emit(EventType.EMAIL_SENT);
        MessageId id = MessageId.parse(received(endpoint).getHeaders().get("webhook-id"));
        await().until(() -> attempts(id).size() == 1);
        // RetryPolicy.longSchedule() has 20% jitter: 5 s is 4 to 6 s, 5 min is 4 to 6 min.
        assertThat(endpoints.message(id).nextAttemptAt()).hasValueSatisfying(
                at -> assertThat(at).isBetween(START.plusSeconds(4), START.plusSeconds(6)));

        clock.advance(Duration.ofSeconds(6));
        received(endpoint);
        await().until(() -> attempts(id).size() == 2);
        Instant second = START.plusSeconds(6);
        assertThat(endpoints.message(id).nextAttemptAt()).hasValueSatisfying(
                at -> assertThat(at).isBetween(second.plus(Duration.ofMinutes(4)), second.plus(Duration.ofMinutes(6))));
        // The short default gave up about 31 s after the first attempt; this one has hours to go.
        clock.advance(Duration.ofSeconds(60));
        assertThat(endpoints.message(id).status()).isEqualTo(MessageStatus.PENDING);
        assertThat(receiver.takeRequest(300, TimeUnit.MILLISECONDS)).as("nothing before the delay").isNull();
    }

    @Test
    @DisplayName("A 429's Retry-After sets the next attempt")
    void honours_retry_after() throws Exception {
        CreatedEndpoint endpoint = endpoint("email.sent");
        receiver.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build());
        answer(200);

        emit(EventType.EMAIL_SENT);
        MessageId id = MessageId.parse(received(endpoint).getHeaders().get("webhook-id"));
        await().until(() -> attempts(id).size() == 1);
        assertThat(endpoints.message(id).nextAttemptAt()).hasValue(START.plusSeconds(7));

        clock.advance(Duration.ofSeconds(7));
        received(endpoint);
        awaitStatus(id, MessageStatus.SUCCEEDED);
    }

    @Test
    @DisplayName("410 Gone disables the endpoint and tells the endpoints subscribed to webhook.endpoint.disabled")
    void gone_disables_the_endpoint() throws Exception {
        LogCapture logs = LogCapture.start();
        CreatedEndpoint endpoint = endpoint("email.sent");
        CreatedEndpoint watcher = endpoint("webhook.endpoint.disabled");
        answer(410);
        answer(200);

        emit(EventType.EMAIL_SENT);
        received(endpoint);
        MessageId id = onlyMessage(endpoint.endpoint().id()).id();
        awaitStatus(id, MessageStatus.FAILED);
        assertThat(endpoints.get(endpoint.endpoint().id()).disabled()).isTrue();
        assertThat(endpoints.get(endpoint.endpoint().id()).disabledReason()).hasValueSatisfying(
                reason -> assertThat(reason).contains("410"));

        RecordedRequest notice = received(watcher);
        assertThat(notice.getBody().utf8()).contains("\"type\":\"webhook.endpoint.disabled\"")
                .contains(endpoint.endpoint().id().value());

        emit(EventType.EMAIL_SENT);
        assertThat(receiver.takeRequest(500, TimeUnit.MILLISECONDS)).as("a disabled endpoint gets nothing").isNull();
        logs.close();
        assertThat(logs.lines("WARN", "io.irisx.webhooks")).anySatisfy(line -> assertThat(line).contains(
                "endpoint " + endpoint.endpoint().id() + " of tenant " + TENANT + " disabled", "410 Gone"));
        assertThat(meters.get("irisx.webhooks.deliveries").tag("outcome", "gone").timer().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("Exhaustion emits message.attempt.exhausted; the message stays recoverable and is delivered on retry")
    void exhaustion_then_recovery() throws Exception {
        LogCapture logs = LogCapture.start();
        CreatedEndpoint endpoint = endpoint("email.sent");
        CreatedEndpoint watcher = endpoint("message.attempt.exhausted");
        answer(500);
        answer(500);
        answer(500);

        emit(EventType.EMAIL_SENT);
        received(endpoint);
        MessageId id = onlyMessage(endpoint.endpoint().id()).id();
        await().until(() -> attempts(id).size() == 1);
        clock.advance(Duration.ofSeconds(1));
        received(endpoint);
        await().until(() -> attempts(id).size() == 2);
        clock.advance(Duration.ofSeconds(2));
        received(endpoint);
        awaitStatus(id, MessageStatus.EXHAUSTED);

        answer(200);
        RecordedRequest notice = received(watcher);
        assertThat(notice.getBody().utf8()).contains("\"type\":\"message.attempt.exhausted\"")
                .contains(id.value()).contains("\"attempts\":3").contains("HTTP 500");

        answer(200);
        endpoints.retryNow(id);
        assertThat(received(endpoint).getHeaders().get("webhook-id")).isEqualTo(id.value());
        awaitStatus(id, MessageStatus.SUCCEEDED);
        assertThat(attempts(id)).hasSize(4);
        logs.close();
        assertThat(logs.lines("WARN", "io.irisx.webhooks")).anySatisfy(line -> assertThat(line).contains(
                "message " + id + " to endpoint " + endpoint.endpoint().id(), "EXHAUSTED after 3 attempt(s)",
                "HTTP 500"));
        assertThat(meters.get("irisx.webhooks.deliveries").tag("outcome", "retrying").timer().count()).isEqualTo(2);
        assertThat(meters.get("irisx.webhooks.deliveries").tag("outcome", "exhausted").timer().count()).isEqualTo(1);
        assertThat(meters.get("irisx.webhooks.deliveries").tag("outcome", "succeeded").timer().count()).isEqualTo(2);
        // Two messages delivered, the notice and the recovered one; the three failed attempts cost nothing.
        assertThat(usage()).extracting(UsageRecord::subject)
                .containsExactlyInAnyOrder(id.value(), onlyMessage(watcher.endpoint().id()).id().value());
    }

    @Test
    @DisplayName("A retry asked for while one waits replaces it: the older publication sends nothing")
    void retry_now_replaces_the_waiting_retry() throws Exception {
        CreatedEndpoint endpoint = endpoint("email.sent");
        answer(500);
        answer(500);
        answer(200);

        emit(EventType.EMAIL_SENT);
        MessageId id = MessageId.parse(received(endpoint).getHeaders().get("webhook-id"));
        await().until(() -> attempts(id).size() == 1);
        endpoints.retryNow(id);
        received(endpoint);
        await().until(() -> attempts(id).size() == 2);
        assertThat(endpoints.message(id).nextAttemptAt()).hasValue(START.plusSeconds(2));

        // The first publication's retry falls due: it finds a newer publication and sends nothing.
        clock.advance(Duration.ofSeconds(1));
        assertThat(receiver.takeRequest(700, TimeUnit.MILLISECONDS)).isNull();

        clock.advance(Duration.ofSeconds(1));
        received(endpoint);
        awaitStatus(id, MessageStatus.SUCCEEDED);
        assertThat(attempts(id)).hasSize(3);
    }

    @Test
    @DisplayName("An endpoint failing for longer than the limit, over enough failures, is disabled; a success resets it")
    void auto_disable() throws Exception {
        CreatedEndpoint endpoint = endpoint("email.sent");
        EndpointId id = endpoint.endpoint().id();
        for (int status : new int[] {500, 500, 500}) {
            answer(status);
        }
        emit(EventType.EMAIL_SENT);
        received(endpoint);
        await().until(() -> endpoints.get(id).failureCount() == 1);
        clock.advance(Duration.ofSeconds(1));
        received(endpoint);
        await().until(() -> endpoints.get(id).failureCount() == 2);
        assertThat(endpoints.get(id).failingSince()).hasValue(START);

        // The third failure comes after the limit: the endpoint is disabled.
        clock.advance(Duration.ofMinutes(10));
        received(endpoint);
        await().until(() -> endpoints.get(id).disabled());
        assertThat(endpoints.get(id).disabledReason()).hasValueSatisfying(
                reason -> assertThat(reason).contains("failing since " + START));

        endpoints.enable(id);
        answer(200);
        emit(EventType.EMAIL_SENT);
        received(endpoint);
        await().until(() -> endpoints.get(id).failingSince().isEmpty());
        assertThat(endpoints.get(id).failureCount()).isZero();
    }

    @Test
    @DisplayName("The runtime restarted in the middle of the retries: the delivery continues with the same webhook-id")
    void restart_mid_retry() throws Exception {
        CreatedEndpoint endpoint = endpoint("email.sent");
        answer(503);
        answer(200);

        emit(EventType.EMAIL_SENT);
        String webhookId = received(endpoint).getHeaders().get("webhook-id");
        MessageId id = MessageId.parse(webhookId);
        await().until(() -> attempts(id).size() == 1);

        // The process stops while the retry waits, and a new one starts on the same database.
        startRuntime(builder -> { });

        clock.advance(Duration.ofSeconds(1));
        assertThat(received(endpoint).getHeaders().get("webhook-id")).isEqualTo(webhookId);
        awaitStatus(id, MessageStatus.SUCCEEDED);
        assertThat(attempts(id)).hasSize(2);
    }

    @Test
    @DisplayName("An endpoint whose secret the sealing keys no longer open gets a failed attempt with the reason, and"
            + " nothing is sent")
    void unopenable_secret_is_a_failed_attempt() throws Exception {
        CreatedEndpoint endpoint = endpoint("email.sent");
        // The process restarts with another sealing key under the same id: the stored secret no longer opens.
        startRuntime(builder -> builder.sealingKeys(SealingKeys.generate("k1")));

        emit(EventType.EMAIL_SENT);
        MessageId id = onlyMessage(endpoint.endpoint().id()).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts(id).size() == 1);

        WebhookAttempt attempt = attempts(id).get(0);
        assertThat(attempt.error()).hasValueSatisfying(error -> assertThat(error)
                .contains("endpoint secret cannot be opened with the configured sealing keys"));
        assertThat(attempt.statusCode()).isEmpty();
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.BLOCKED);
        WebhookMessage message = endpoints.message(id);
        assertThat(message.status()).isEqualTo(MessageStatus.PENDING);
        assertThat(message.attempts()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts(id).size() == 2);
        assertThat(receiver.getRequestCount()).isZero();
    }

    @Test
    @DisplayName("A slow endpoint held to one delivery at a time does not hold back another endpoint")
    void slow_endpoint_does_not_block_others() throws Exception {
        try (MockWebServer slow = new MockWebServer()) {
            slow.start(InetAddress.getByName("127.0.0.1"), 0);
            for (int i = 0; i < 3; i++) {
                slow.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).build());
            }
            String slowUrl = slow.url("/slow").newBuilder().host("127.0.0.1").build().toString();
            EndpointId slowEndpoint = endpoints.create(EndpointSpec.builder(slowUrl).eventTypes("sms.sent")
                    .maxConcurrency(1).build()).endpoint().id();
            CreatedEndpoint fast = endpoint("sms.sent");
            for (int i = 0; i < 3; i++) {
                answer(200);
            }

            for (int i = 0; i < 3; i++) {
                emit(EventType.SMS_SENT);
            }

            for (int i = 0; i < 3; i++) {
                received(fast);
            }
            assertThat(slow.getRequestCount()).as("the slow endpoint takes one at a time").isLessThanOrEqualTo(1);
            // Deliveries over the limit wait in the outbox a moment by the clock, which moves only when told.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                clock.advance(Duration.ofSeconds(1));
                return endpoints.messages(slowEndpoint, MessageFilter.all().withStatus(MessageStatus.SUCCEEDED),
                        PageRequest.first()).items().size() == 3;
            });
        }
    }
}
