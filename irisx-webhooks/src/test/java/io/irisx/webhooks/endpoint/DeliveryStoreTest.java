package io.irisx.webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.NotFoundException;
import io.irisx.core.PageRequest;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SecretSealingException;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.webhooks.internal.store.NewAttempt;
import java.time.Duration;
import io.irisx.core.usage.PriceBook;
import io.irisx.core.usage.PriceList;
import io.irisx.core.usage.Usage;
import io.irisx.core.usage.UsageRecord;
import io.irisx.core.usage.UsageUnit;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the delivery engine reads and records through the {@link io.irisx.webhooks.internal.store.WebhookStore}, on
 * each database.
 */
@OnEachDialect
class DeliveryStoreTest extends WebhooksFixture {

    @Test
    @DisplayName("loadForDelivery returns the message, its endpoint and its opened secret; nothing for an unknown id")
    void loadForDelivery() {
        CreatedEndpoint created = endpoints.create(EndpointSpec.builder(PUBLIC_URL)
                .headers(Map.of("X-Tenant", "acme")).build());
        WebhookMessage message = endpoints.sendTest(created.endpoint().id());

        DeliveryTarget target = store.loadForDelivery(TENANT_A, message.id()).orElseThrow();

        assertThat(target.message()).isEqualTo(message);
        assertThat(target.endpoint()).isEqualTo(created.endpoint());
        assertThat(target.secrets()).containsExactly(created.secret());
        assertThat(target.toString()).doesNotContain(created.secret().reveal());
        assertThat(store.loadForDelivery(TENANT_A, MessageId.generate())).isEmpty();
        assertThat(store.loadForDelivery(TENANT_B, message.id())).isEmpty();
        assertThat(store.findMessage(TENANT_A, message.id())).contains(message);
        assertThat(store.findEndpoint(TENANT_B, created.endpoint().id())).isEmpty();
    }

    @Test
    @DisplayName("a secret sealed for one endpoint does not open as another's")
    void secretsAreSealedPerEndpoint() {
        CreatedEndpoint first = createEndpoint();
        CreatedEndpoint second = createEndpoint();
        MessageId message = endpoints.sendTest(second.endpoint().id()).id();
        String sealed = database.withConnection(connection -> {
            try (var select = connection.prepareStatement("SELECT secret FROM irisx_webhook_endpoints WHERE id = ?")) {
                select.setString(1, first.endpoint().id().value());
                try (var rs = select.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertThat(sealed).startsWith("irisx:v1:k1:").doesNotContain(first.secret().reveal());
        database.withConnection(connection -> {
            try (var update = connection.prepareStatement(
                    "UPDATE irisx_webhook_endpoints SET secret = ? WHERE id = ?")) {
                update.setString(1, sealed);
                update.setString(2, second.endpoint().id().value());
                return update.executeUpdate();
            }
        });

        assertThatThrownBy(() -> store.loadForDelivery(TENANT_A, message))
                .isInstanceOf(SecretSealingException.class);
    }

    @Test
    @DisplayName("recordAttempt logs the attempt and settles the message: status, attempts, last and next attempt")
    void recordAttemptSettlesTheMessage() {
        EndpointId endpoint = createEndpoint().endpoint().id();
        MessageId message = endpoints.sendTest(endpoint).id();
        Instant first = clock.instant();
        Instant retryAt = first.plusSeconds(30);

        WebhookAttempt failed = store.recordAttempt(TENANT_A, message,
                NewAttempt.response(first, 503, Duration.ofMillis(120), "x".repeat(30_000)),
                MessageStatus.PENDING, Optional.of(retryAt));

        assertThat(failed.messageId()).isEqualTo(message);
        assertThat(failed.endpointId()).isEqualTo(endpoint);
        assertThat(failed.statusCode()).hasValue(503);
        assertThat(failed.outcome()).isEqualTo(AttemptOutcome.HTTP_ERROR);
        assertThat(failed.error()).contains("HTTP 503");
        assertThat(failed.responseBody()).hasSize(NewAttempt.MAX_RESPONSE_BODY);
        WebhookMessage pending = endpoints.message(message);
        assertThat(pending.status()).isEqualTo(MessageStatus.PENDING);
        assertThat(pending.attempts()).isEqualTo(1);
        assertThat(pending.lastAttemptAt()).contains(first);
        assertThat(pending.nextAttemptAt()).contains(retryAt);

        clock.set(retryAt);
        store.recordAttempt(TENANT_A, message, NewAttempt.response(retryAt, 200, Duration.ofMillis(80), "ok"),
                MessageStatus.SUCCEEDED, Optional.empty());

        WebhookMessage succeeded = endpoints.message(message);
        assertThat(succeeded.status()).isEqualTo(MessageStatus.SUCCEEDED);
        assertThat(succeeded.attempts()).isEqualTo(2);
        assertThat(succeeded.lastAttemptAt()).contains(retryAt);
        assertThat(succeeded.nextAttemptAt()).isEmpty();
        assertThat(endpoints.attempts(message, PageRequest.first()).items())
                .extracting(WebhookAttempt::outcome).containsExactly(AttemptOutcome.HTTP_ERROR, AttemptOutcome.SUCCESS);
        assertThat(endpoints.attempts(message, PageRequest.first()).items().get(0)).isEqualTo(failed);
    }

    @Test
    @DisplayName("a message delivered to a test endpoint is not metered; one to a live endpoint is")
    void testDeliveriesAreNotMetered() {
        EndpointId test = endpoints.create(EndpointSpec.builder(PUBLIC_URL).testMode(true).build()).endpoint().id();
        EndpointId live = createEndpoint().endpoint().id();
        MessageId toTest = endpoints.sendTest(test).id();
        MessageId toLive = endpoints.sendTest(live).id();
        for (MessageId message : List.of(toTest, toLive)) {
            store.recordAttempt(TENANT_A, message, NewAttempt.response(START, 200, Duration.ofMillis(5), "ok"),
                    MessageStatus.SUCCEEDED, Optional.empty());
        }

        LocalDate day = LocalDate.of(2030, 1, 1);
        Usage usage = new Usage(database, new PriceBook(database, clock, PriceList.defaults()), TENANT_A);
        assertThat(usage.records(day, day, PageRequest.first()).items()).extracting(UsageRecord::subject)
                .containsExactly(toLive.value());
        assertThat(endpoints.message(toTest).status()).isEqualTo(MessageStatus.SUCCEEDED);
    }

    @Test
    @DisplayName("a delivered message is metered once in its success's transaction, however often it is recorded")
    void aDeliveredMessageIsMeteredOnce() throws Exception {
        EndpointId endpoint = createEndpoint().endpoint().id();
        MessageId delivered = endpoints.sendTest(endpoint).id();
        MessageId failed = endpoints.sendTest(endpoint).id();
        store.recordAttempt(TENANT_A, delivered, NewAttempt.response(START, 503, Duration.ofMillis(5), "busy"),
                MessageStatus.PENDING, Optional.of(START.plusSeconds(5)));
        store.recordAttempt(TENANT_A, failed, NewAttempt.response(START, 410, Duration.ofMillis(5), "gone"),
                MessageStatus.FAILED, Optional.empty());
        Instant deliveredAt = START.plusSeconds(5);

        // A redelivery racing the first, on several threads, and a replay later: each records a success.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                done.add(pool.submit(() -> store.recordAttempt(TENANT_A, delivered,
                        NewAttempt.response(deliveredAt, 200, Duration.ofMillis(5), "ok"), MessageStatus.SUCCEEDED,
                        Optional.empty())));
            }
            for (Future<?> future : done) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        store.recordAttempt(TENANT_A, delivered, NewAttempt.response(START.plusSeconds(60), 200, Duration.ofMillis(5),
                "ok"), MessageStatus.SUCCEEDED, Optional.empty());

        LocalDate day = LocalDate.of(2030, 1, 1);
        Usage usage = new Usage(database, new PriceBook(database, clock, PriceList.defaults()), TENANT_A);
        assertThat(usage.records(day, day, PageRequest.first()).items()).containsExactly(new UsageRecord(
                delivered.value() + ":WEBHOOK_DELIVERY", TENANT_A, UsageUnit.WEBHOOK_DELIVERY, delivered.value(), 1,
                deliveredAt));
        assertThat(new Usage(database, new PriceBook(database, clock, PriceList.defaults()), TENANT_B)
                .records(day, day, PageRequest.first()).items()).isEmpty();
    }

    @Test
    @DisplayName("recordAttempt wants a next attempt time exactly for PENDING, and a message of this tenant")
    void recordAttemptChecksItsArguments() {
        MessageId message = endpoints.sendTest(createEndpoint().endpoint().id()).id();
        NewAttempt attempt = NewAttempt.noResponse(START, Duration.ofSeconds(15), AttemptOutcome.TIMEOUT, "timeout");

        assertThatThrownBy(() -> store.recordAttempt(TENANT_A, message, attempt, MessageStatus.PENDING,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.recordAttempt(TENANT_A, message, attempt, MessageStatus.FAILED,
                Optional.of(START))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.recordAttempt(TENANT_B, message, attempt, MessageStatus.FAILED,
                Optional.empty())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> NewAttempt.noResponse(START, Duration.ZERO, AttemptOutcome.SUCCESS, "?"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(count("irisx_webhook_attempts")).isZero();
        assertThat(endpoints.message(message).attempts()).isZero();
    }

    @Test
    @DisplayName("failures start a failing run once and count up; a success ends the run")
    void failingRuns() {
        EndpointId endpoint = createEndpoint().endpoint().id();

        Endpoint once = store.markEndpointFailure(TENANT_A, endpoint);
        clock.advance(Duration.ofMinutes(10));
        Endpoint twice = store.markEndpointFailure(TENANT_A, endpoint);

        assertThat(once.failingSince()).contains(START);
        assertThat(once.failureCount()).isEqualTo(1);
        assertThat(twice.failingSince()).contains(START);
        assertThat(twice.failureCount()).isEqualTo(2);

        store.markEndpointSuccess(TENANT_A, endpoint);

        Endpoint healthy = endpoints.get(endpoint);
        assertThat(healthy.failingSince()).isEmpty();
        assertThat(healthy.failureCount()).isZero();
        assertThat(store.markEndpointFailure(TENANT_A, endpoint).failingSince()).contains(clock.instant());
        assertThatThrownBy(() -> store.markEndpointFailure(TENANT_B, endpoint)).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("disableEndpoint disables once, says whether it did, and stops the fan-out to the endpoint")
    void disableEndpointStopsFanOut() {
        EndpointId endpoint = createEndpoint().endpoint().id();

        assertThat(store.disableEndpoint(TENANT_A, endpoint, "failing for 5 days")).isTrue();
        assertThat(store.disableEndpoint(TENANT_A, endpoint, "again")).isFalse();
        assertThatThrownBy(() -> store.disableEndpoint(TENANT_A, EndpointId.generate(), "x"))
                .isInstanceOf(NotFoundException.class);

        Endpoint disabled = endpoints.get(endpoint);
        assertThat(disabled.disabled()).isTrue();
        assertThat(disabled.disabledReason()).contains("failing for 5 days");
        sink.emit(Event.of(EventType.EMAIL_SENT, TENANT_A, clock, Map.of()));
        assertThat(count("irisx_webhook_messages")).isZero();
    }
}
