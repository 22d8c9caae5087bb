package io.irisx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.health.Health;
import io.irisx.core.health.HealthCheck;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Backlog;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backlog a host reads without SQL, and the health it serves as readiness, on the embedded defaults. */
class HealthTest {

    private static final TenantId ACME = TenantId.of("acme");

    @TempDir
    Path data;

    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void theBacklogCountsEachChannelsWorkAndShowsWhatAWorkerHoldsWithItsLastError() throws Exception {
        try (Irisx irisx = Irisx.builder().dataDirectory(data).clock(clock).build()) {
            irisx.outbox().publish(Envelope.of(ACME, Channel.SMS, "{}"));
            irisx.outbox().publish(Envelope.of(ACME, Channel.SMS, "{}"));
            MessageId held = irisx.outbox().publish(Envelope.of(ACME, Channel.EMAIL, "{}"));
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger attempts = new AtomicInteger();
            try (Subscription worker = irisx.outbox().consume(Channel.EMAIL, delivery -> {
                if (attempts.incrementAndGet() == 1) {
                    return Outcome.retry("provider answered 503");
                }
                release.await();
                return Outcome.done();
            }, ConsumeOptions.builder().pollInterval(Duration.ofMillis(10))
                    .retryPolicy(RetryPolicy.builder().schedule(List.of(Duration.ofSeconds(1))).jitter(0).build())
                    .build())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    clock.advance(Duration.ofSeconds(1));
                    return attempts.get() == 2;
                });

                Backlog backlog = irisx.backlog();
                assertThat(backlog.of(Channel.SMS).pending()).isEqualTo(2);
                assertThat(backlog.of(Channel.SMS).inFlight()).isZero();
                assertThat(backlog.of(Channel.SMS).overdue()).isGreaterThan(Duration.ZERO);
                assertThat(backlog.of(Channel.EMAIL).inFlight()).isEqualTo(1);
                assertThat(backlog.of(Channel.EMAIL).longestInFlight()).singleElement().satisfies(work -> {
                    assertThat(work.envelope().id()).isEqualTo(held);
                    assertThat(work.attempt()).isEqualTo(2);
                    assertThat(work.lastError()).contains("provider answered 503");
                    assertThat(work.owner()).isNotBlank();
                    assertThat(work.claimLapsesAt()).isAfter(work.claimedAt());
                });
                assertThat(backlog.of(Channel.VOICE).pending()).isZero();
                release.countDown();
            }
        }
    }

    @Test
    void healthIsUpUntilWorkIsOverdueByMoreThanTheMaximumLagThenDegradedNamingTheChannel() {
        try (Irisx irisx = Irisx.builder().dataDirectory(data).clock(clock).maxLag(Duration.ofMinutes(2)).build()) {
            irisx.outbox().publish(Envelope.of(ACME, Channel.SMS, "{}"));
            assertThat(irisx.health().status()).isEqualTo(Health.Status.UP);
            assertThat(irisx.health().checks()).extracting(Health.Check::name)
                    .containsExactly("database", "outbox", "backlog.sms", "backlog.email", "backlog.webhooks",
                            "backlog.voice");

            clock.advance(Duration.ofMinutes(3));
            Health health = irisx.health();
            assertThat(health.status()).isEqualTo(Health.Status.DEGRADED);
            assertThat(health.checks()).filteredOn(check -> check.status() != Health.Status.UP).singleElement()
                    .satisfies(check -> {
                        assertThat(check.name()).isEqualTo("backlog.sms");
                        assertThat(check.detail()).contains("1 pending (most overdue 180 s)", "behind by more than 120 s");
                    });
        }
    }

    @Test
    void anAddedCheckCountsUntilRemovedAndOneThatThrowsIsDown() {
        try (Irisx irisx = Irisx.builder().dataDirectory(data).clock(clock).build()) {
            HealthCheck failing = () -> {
                throw new IllegalStateException("provider circuits unreadable");
            };
            irisx.addHealthCheck(failing);
            assertThat(irisx.health().status()).isEqualTo(Health.Status.DOWN);
            assertThat(irisx.health().checks()).last().satisfies(check -> assertThat(check.detail())
                    .isEqualTo("IllegalStateException: provider circuits unreadable"));

            irisx.removeHealthCheck(failing);
            assertThat(irisx.health().status()).isEqualTo(Health.Status.UP);
        }
    }
}
