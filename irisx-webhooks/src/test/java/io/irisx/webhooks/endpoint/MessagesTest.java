package io.irisx.webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.webhooks.internal.store.NewAttempt;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Fanning events out, test messages, retries, recovery, listings and figures, on each database. */
@OnEachDialect
class MessagesTest extends WebhooksFixture {

    private static final Instant OCCURRED = Instant.parse("2029-12-31T23:59:58.125Z");
    private static final String DATA = "{\"messageId\":\"msg_x\",\"to\":\"a@example.com\",\"n\":[1,2]}";

    private static Event event(EventType type, TenantId tenant) {
        return new Event(EventId.generate(), type, tenant, OCCURRED, DATA);
    }

    private List<WebhookMessage> messagesOf(EndpointId endpoint) {
        return endpoints.messages(endpoint, MessageFilter.all(), PageRequest.first(PageRequest.MAX_LIMIT)).items();
    }

    @Test
    @DisplayName("an event becomes one message per enabled endpoint subscribed to it, each with an outbox record")
    void fanOutToSubscribedEndpoints() {
        EndpointId all = createEndpoint().endpoint().id();
        EndpointId email = createEndpoint("email.delivered", "email.bounced").endpoint().id();
        EndpointId sms = createEndpoint("sms.sent").endpoint().id();
        EndpointId disabled = createEndpoint().endpoint().id();
        endpoints.disable(disabled, "paused");
        EndpointId otherTenant = endpointsB.create(EndpointSpec.builder(PUBLIC_URL).build()).endpoint().id();
        Event event = event(EventType.EMAIL_DELIVERED, TENANT_A);

        sink.emit(event);

        assertThat(messagesOf(sms)).isEmpty();
        assertThat(messagesOf(disabled)).isEmpty();
        assertThat(endpointsB.messages(otherTenant, MessageFilter.all(), PageRequest.first()).items()).isEmpty();
        List<WebhookMessage> messages = List.of(messagesOf(all).get(0), messagesOf(email).get(0));
        for (WebhookMessage message : messages) {
            assertThat(message.eventId()).isEqualTo(event.id());
            assertThat(message.eventType()).isEqualTo("email.delivered");
            assertThat(message.payload()).isEqualTo("{\"type\":\"email.delivered\","
                    + "\"timestamp\":\"2029-12-31T23:59:58.125Z\",\"data\":" + DATA + "}");
            assertThat(message.status()).isEqualTo(MessageStatus.PENDING);
            assertThat(message.attempts()).isZero();
            assertThat(message.nextAttemptAt()).contains(START);
            assertThat(message.createdAt()).isEqualTo(START);
        }
        List<OutboxRow> rows = outboxRows();
        assertThat(rows).hasSize(2).allSatisfy(row -> {
            assertThat(row.tenant()).isEqualTo(TENANT_A);
            assertThat(row.channel()).isEqualTo("WEBHOOKS");
            assertThat(row.idempotencyKey()).isEqualTo(row.payload());
            assertThat(outbox.find(TENANT_A, row.id())).isPresent();
        });
        assertThat(rows).extracting(OutboxRow::payload)
                .containsExactlyInAnyOrderElementsOf(messages.stream().map(m -> m.id().value()).toList());
        assertThat(rows).extracting(OutboxRow::id)
                .doesNotContainAnyElementsOf(messages.stream().map(WebhookMessage::id).toList());
    }

    @Test
    @DisplayName("a test event reaches only the tenant's test endpoints, a live event only its live endpoints")
    void fanOutByMode() {
        EndpointId live = createEndpoint().endpoint().id();
        EndpointId test = endpoints.create(EndpointSpec.builder(PUBLIC_URL).testMode(true).build()).endpoint().id();
        EndpointId testEmailOnly = endpoints.create(EndpointSpec.builder(PUBLIC_URL).testMode(true)
                .eventTypes("email.sent").build()).endpoint().id();
        EndpointId otherTenantsTest = endpointsB.create(EndpointSpec.builder(PUBLIC_URL).testMode(true).build())
                .endpoint().id();
        Event liveEvent = event(EventType.EMAIL_DELIVERED, TENANT_A);
        Event testEvent = event(EventType.EMAIL_DELIVERED, TENANT_A).withTest(true);

        sink.emit(liveEvent);
        sink.emit(testEvent);

        assertThat(messagesOf(live)).extracting(WebhookMessage::eventId).containsExactly(liveEvent.id());
        assertThat(messagesOf(test)).extracting(WebhookMessage::eventId).containsExactly(testEvent.id());
        assertThat(messagesOf(testEmailOnly)).isEmpty();
        assertThat(endpointsB.messages(otherTenantsTest, MessageFilter.all(), PageRequest.first()).items()).isEmpty();
        assertThat(outboxRows()).hasSize(2);
        assertThat(endpoints.get(test).testMode()).isTrue();
        assertThat(endpoints.get(live).testMode()).isFalse();
    }

    @Test
    @DisplayName("messages and outbox records are written in the caller's transaction: rolled back together")
    void fanOutJoinsTheCallersTransaction() throws Exception {
        EndpointId endpoint = createEndpoint().endpoint().id();

        inRolledBackTransaction(connection -> {
            sink.emit(connection, event(EventType.SMS_SENT, TENANT_A));
            sink.emit(connection, event(EventType.SMS_DELIVERED, TENANT_A));
            assertThat(countIn(connection, "irisx_webhook_messages")).isEqualTo(2);
            assertThat(countIn(connection, "irisx_outbox")).isEqualTo(2);
            return null;
        });

        assertThat(count("irisx_webhook_messages")).isZero();
        assertThat(outboxRows()).isEmpty();

        database.inTransaction(connection -> {
            sink.emit(connection, event(EventType.SMS_SENT, TENANT_A));
            return null;
        });

        assertThat(messagesOf(endpoint)).hasSize(1);
        assertThat(outboxRows()).hasSize(1);
    }

    @Test
    @DisplayName("an event for a tenant with no subscribed endpoint stores nothing")
    void fanOutToNoEndpoint() {
        createEndpoint("call.answered");

        sink.emit(event(EventType.CALL_FAILED, TENANT_A));
        sink.emit(event(EventType.CALL_ANSWERED, TENANT_B));

        assertThat(count("irisx_webhook_messages")).isZero();
        assertThat(outboxRows()).isEmpty();
    }

    @Test
    @DisplayName("sendTest queues a webhook.test message to that endpoint only, whatever its filter")
    void sendTestReachesOneEndpoint() {
        EndpointId target = createEndpoint("sms.sent").endpoint().id();
        EndpointId other = createEndpoint().endpoint().id();

        WebhookMessage test = endpoints.sendTest(target);

        assertThat(test.eventType()).isEqualTo("webhook.test");
        assertThat(test.payload()).startsWith("{\"type\":\"webhook.test\",\"timestamp\":\"2030-01-01T00:00:00Z\","
                + "\"data\":{\"endpointId\":\"" + target + "\"}");
        assertThat(messagesOf(target)).containsExactly(test);
        assertThat(messagesOf(other)).isEmpty();
        assertThat(outboxRows()).singleElement().satisfies(row -> {
            assertThat(row.payload()).isEqualTo(test.id().value());
            assertThat(row.idempotencyKey()).isEqualTo(test.id().value());
        });
        assertThatThrownBy(() -> endpoints.sendTest(EndpointId.generate())).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("sendTest with a repeated idempotency key returns the first message and queues nothing more")
    void sendTestWithARepeatedKeyQueuesOnce() {
        EndpointId target = createEndpoint().endpoint().id();
        EndpointId other = createEndpoint().endpoint().id();

        WebhookMessage first = endpoints.sendTest(target, "deploy-check-7");
        clock.advance(Duration.ofMinutes(1));
        WebhookMessage repeated = endpoints.sendTest(target, "deploy-check-7");
        WebhookMessage elsewhere = endpoints.sendTest(other, "deploy-check-7");
        WebhookMessage anotherKey = endpoints.sendTest(target, "deploy-check-8");
        WebhookMessage unkeyed = endpoints.sendTest(target);

        assertThat(repeated).isEqualTo(first);
        assertThat(List.of(elsewhere.id(), anotherKey.id(), unkeyed.id())).doesNotContain(first.id())
                .doesNotHaveDuplicates();
        assertThat(messagesOf(target)).extracting(WebhookMessage::id)
                .containsExactlyInAnyOrder(first.id(), anotherKey.id(), unkeyed.id());
        assertThat(outboxRows()).extracting(OutboxRow::payload).containsExactlyInAnyOrder(first.id().value(),
                elsewhere.id().value(), anotherKey.id().value(), unkeyed.id().value());
        assertThatThrownBy(() -> endpointsB.sendTest(target, "deploy-check-7")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> endpoints.sendTest(target, " ")).isInstanceOfSatisfying(
                IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("idempotencyKey"));
        assertThatThrownBy(() -> endpoints.sendTest(target, "x".repeat(256)))
                .isInstanceOf(IrisxValidationException.class);
        assertThat(messagesOf(target)).hasSize(3);
    }

    @Test
    @DisplayName("concurrent sendTests with one idempotency key store and queue one message, returned to each")
    void concurrentSendTestsWithOneKeyQueueOnce() throws Exception {
        EndpointId target = createEndpoint().endpoint().id();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<WebhookMessage> sent = new ArrayList<>();
        try {
            List<Future<WebhookMessage>> tests = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tests.add(pool.submit(() -> endpoints.sendTest(target, "same-request")));
            }
            for (Future<WebhookMessage> test : tests) {
                sent.add(test.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(sent).extracting(WebhookMessage::id).containsOnly(sent.get(0).id());
        assertThat(messagesOf(target)).hasSize(1);
        assertThat(outboxRows()).hasSize(1);
    }

    @Test
    @DisplayName("retryNow makes the message PENDING again and queues it under a new retry key each time")
    void retryNowRepublishes() {
        EndpointId endpoint = createEndpoint().endpoint().id();
        MessageId message = endpoints.sendTest(endpoint).id();
        store.recordAttempt(TENANT_A, message, NewAttempt.response(START, 500, Duration.ofMillis(20), "oops"),
                MessageStatus.EXHAUSTED, Optional.empty());
        clock.advance(Duration.ofMinutes(3));

        WebhookMessage retried = endpoints.retryNow(message);
        endpoints.retryNow(message);

        assertThat(retried.id()).isEqualTo(message);
        assertThat(retried.status()).isEqualTo(MessageStatus.PENDING);
        assertThat(retried.nextAttemptAt()).contains(START.plus(Duration.ofMinutes(3)));
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(outboxRows()).extracting(OutboxRow::idempotencyKey)
                .containsExactly(message.value(), message + ".retry-1", message + ".retry-2");
        assertThat(outboxRows()).extracting(OutboxRow::payload).containsOnly(message.value());
        assertThat(outboxRows()).extracting(OutboxRow::id).doesNotHaveDuplicates();
        assertThatThrownBy(() -> endpoints.retryNow(MessageId.generate())).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("concurrent retries of one message each queue it under a key of their own")
    void concurrentRetriesGetKeysOfTheirOwn() throws Exception {
        MessageId message = endpoints.sendTest(createEndpoint().endpoint().id()).id();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<WebhookMessage>> retries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                retries.add(pool.submit(() -> endpoints.retryNow(message)));
            }
            for (Future<WebhookMessage> retry : retries) {
                retry.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> expected = new ArrayList<>(List.of(message.value()));
        for (int n = 1; n <= 8; n++) {
            expected.add(message + ".retry-" + n);
        }
        assertThat(outboxRows()).extracting(OutboxRow::idempotencyKey).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @DisplayName("recoverSince queues again the failed and exhausted messages created since then, and counts them")
    void recoverSinceRepublishesFailures() {
        EndpointId endpoint = createEndpoint().endpoint().id();
        EndpointId other = createEndpoint().endpoint().id();
        MessageId beforeWindow = attemptedMessage(endpoint, MessageStatus.EXHAUSTED);
        clock.advance(Duration.ofHours(1));
        Instant since = clock.instant();
        MessageId failed = attemptedMessage(endpoint, MessageStatus.FAILED);
        MessageId exhausted = attemptedMessage(endpoint, MessageStatus.EXHAUSTED);
        MessageId succeeded = attemptedMessage(endpoint, MessageStatus.SUCCEEDED);
        MessageId pending = endpoints.sendTest(endpoint).id();
        attemptedMessage(other, MessageStatus.FAILED);

        int recovered = endpoints.recoverSince(endpoint, since);

        assertThat(recovered).isEqualTo(2);
        assertThat(endpoints.message(failed).status()).isEqualTo(MessageStatus.PENDING);
        assertThat(endpoints.message(exhausted).status()).isEqualTo(MessageStatus.PENDING);
        assertThat(endpoints.message(beforeWindow).status()).isEqualTo(MessageStatus.EXHAUSTED);
        assertThat(endpoints.message(succeeded).status()).isEqualTo(MessageStatus.SUCCEEDED);
        assertThat(outboxRows()).extracting(OutboxRow::idempotencyKey)
                .contains(failed + ".retry-1", exhausted + ".retry-1")
                .doesNotContain(beforeWindow + ".retry-1", succeeded + ".retry-1", pending + ".retry-1");
        assertThat(endpoints.recoverSince(endpoint, since)).isZero();
    }

    @Test
    @DisplayName("messages lists newest first, filters on status and time, and pages by cursor")
    void messagesPageAndFilter() {
        EndpointId endpoint = createEndpoint().endpoint().id();
        MessageId first = attemptedMessage(endpoint, MessageStatus.FAILED);
        clock.advance(Duration.ofMinutes(1));
        MessageId second = endpoints.sendTest(endpoint).id();
        MessageId third = attemptedMessage(endpoint, MessageStatus.FAILED);
        MessageId fourth = endpoints.sendTest(endpoint).id();

        Page<WebhookMessage> page1 = endpoints.messages(endpoint, MessageFilter.all(), PageRequest.first(3));
        Page<WebhookMessage> page2 = endpoints.messages(endpoint, MessageFilter.all(),
                PageRequest.after(page1.nextCursor().get(), 3));

        assertThat(page1.items()).extracting(WebhookMessage::id).containsExactly(fourth, third, second);
        assertThat(page2.items()).extracting(WebhookMessage::id).containsExactly(first);
        assertThat(page2.hasMore()).isFalse();
        assertThat(endpoints.messages(endpoint, MessageFilter.all().withStatus(MessageStatus.FAILED),
                PageRequest.first()).items()).extracting(WebhookMessage::id).containsExactly(third, first);
        assertThat(endpoints.messages(endpoint, MessageFilter.all().since(START.plus(Duration.ofMinutes(1))),
                PageRequest.first()).items()).extracting(WebhookMessage::id).containsExactly(fourth, third, second);
        assertThatThrownBy(() -> endpoints.messages(EndpointId.generate(), MessageFilter.all(), PageRequest.first()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("attempts lists a message's attempts oldest first and pages by cursor")
    void attemptsPage() {
        MessageId message = endpoints.sendTest(createEndpoint().endpoint().id()).id();
        for (int i = 0; i < 3; i++) {
            store.recordAttempt(TENANT_A, message, NewAttempt.response(clock.instant(), 503, Duration.ofMillis(i),
                    "busy " + i), MessageStatus.PENDING, Optional.of(clock.instant().plusSeconds(10)));
            clock.advance(Duration.ofSeconds(10));
        }

        Page<WebhookAttempt> page1 = endpoints.attempts(message, PageRequest.first(2));
        Page<WebhookAttempt> page2 = endpoints.attempts(message, PageRequest.after(page1.nextCursor().get(), 2));

        assertThat(page1.items()).extracting(WebhookAttempt::responseBody).containsExactly("busy 0", "busy 1");
        assertThat(page2.items()).extracting(WebhookAttempt::responseBody).containsExactly("busy 2");
        assertThat(page2.hasMore()).isFalse();
        assertThat(endpoints.message(message).attempts()).isEqualTo(3);
        assertThatThrownBy(() -> endpoints.attempts(MessageId.generate(), PageRequest.first()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("stats count messages by status and take latency percentiles over the window only")
    void statsOverAWindow() {
        EndpointId endpoint = createEndpoint().endpoint().id();
        EndpointId other = createEndpoint().endpoint().id();
        attemptedMessage(endpoint, MessageStatus.SUCCEEDED); // before the window
        clock.advance(Duration.ofHours(1));
        Instant from = clock.instant();
        for (int latency = 10; latency <= 100; latency += 10) {
            MessageId message = endpoints.sendTest(endpoint).id();
            MessageStatus status = latency <= 60 ? MessageStatus.SUCCEEDED
                    : latency <= 80 ? MessageStatus.EXHAUSTED : MessageStatus.PENDING;
            NewAttempt attempt = status == MessageStatus.SUCCEEDED
                    ? NewAttempt.response(clock.instant(), 200, Duration.ofMillis(latency), "ok")
                    : NewAttempt.response(clock.instant(), 500, Duration.ofMillis(latency), "no");
            store.recordAttempt(TENANT_A, message, attempt, status,
                    status == MessageStatus.PENDING ? Optional.of(clock.instant().plusSeconds(5)) : Optional.empty());
        }
        attemptedMessage(other, MessageStatus.FAILED);
        Instant to = clock.advance(Duration.ofMinutes(1));
        clock.advance(Duration.ofHours(1));
        attemptedMessage(endpoint, MessageStatus.FAILED); // after the window

        EndpointStats stats = endpoints.stats(endpoint, from, to);

        assertThat(stats.messages())
                .containsEntry(MessageStatus.SUCCEEDED, 6L).containsEntry(MessageStatus.EXHAUSTED, 2L)
                .containsEntry(MessageStatus.PENDING, 2L).containsEntry(MessageStatus.FAILED, 0L);
        assertThat(stats.totalMessages()).isEqualTo(10);
        assertThat(stats.attempts()).isEqualTo(10);
        assertThat(stats.successRate()).hasValue(0.75);
        assertThat(stats.p50Latency()).contains(Duration.ofMillis(50));
        assertThat(stats.p95Latency()).contains(Duration.ofMillis(100));

        EndpointStats all = endpoints.stats(from, to);
        assertThat(all.totalMessages()).isEqualTo(11);
        assertThat(all.count(MessageStatus.FAILED)).isEqualTo(1);
        assertThat(all.successRate()).hasValue(6.0 / 9);
        assertThat(all.attempts()).isEqualTo(11);

        EndpointStats empty = endpoints.stats(endpoint, to.plusSeconds(1), to.plusSeconds(2));
        assertThat(empty.totalMessages()).isZero();
        assertThat(empty.successRate()).isEmpty();
        assertThat(empty.p50Latency()).isEmpty();
        assertThatThrownBy(() -> endpoints.stats(endpoint, to, from))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("to"));
    }

    @Test
    @DisplayName("the sink queues nothing for an endpoint deleted before the event")
    void deletedEndpointsReceiveNothing() {
        EndpointId endpoint = createEndpoint().endpoint().id();
        endpoints.delete(endpoint);

        sink.emit(event(EventType.EMAIL_SENT, TENANT_A));

        assertThat(count("irisx_webhook_messages")).isZero();
    }

    /** A test message to {@code endpoint}, attempted once (latency 5 ms) and left in {@code status}. */
    private MessageId attemptedMessage(EndpointId endpoint, MessageStatus status) {
        MessageId message = endpoints.sendTest(endpoint).id();
        NewAttempt attempt = status == MessageStatus.SUCCEEDED
                ? NewAttempt.response(clock.instant(), 204, Duration.ofMillis(5), "")
                : NewAttempt.noResponse(clock.instant(), Duration.ofMillis(5), AttemptOutcome.TIMEOUT, "timed out");
        store.recordAttempt(TENANT_A, message, attempt, status, Optional.empty());
        return message;
    }

    private static int countIn(Connection connection, String table) throws SQLException {
        try (var select = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
                var rs = select.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
