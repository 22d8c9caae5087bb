package io.irisx.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two processes (each its own pool and outbox) on one PostgreSQL database share a channel's work. */
class JdbcOutboxSharedWorkTest {

    private static final TenantId TENANT = TenantId.of("shared");

    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private Database first;
    private Database second;
    private Database publisher;

    @BeforeEach
    void openDatabases() {
        first = TestDatabases.postgres();
        second = TestDatabases.another(first, 6);
        publisher = TestDatabases.another(first, 2);
    }

    @AfterEach
    void closeDatabases() {
        publisher.close();
        second.close();
        first.close();
    }

    @Test
    @DisplayName("two processes consuming one channel each take a share, and no envelope is handled twice")
    void twoProcessesShareTheWork() {
        Map<MessageId, AtomicInteger> handled = new ConcurrentHashMap<>();
        Set<MessageId> byFirst = ConcurrentHashMap.newKeySet();
        Set<MessageId> bySecond = ConcurrentHashMap.newKeySet();
        ConsumeOptions options = ConsumeOptions.builder().concurrency(4).batchSize(4)
                .pollInterval(Duration.ofMillis(5)).build();
        int count = 400;

        try (JdbcOutbox one = JdbcOutbox.create(first, clock);
                JdbcOutbox two = JdbcOutbox.create(second, clock);
                JdbcOutbox sender = JdbcOutbox.create(publisher, clock)) {
            one.consume(Channel.WEBHOOKS, recordingInto(handled, byFirst), options);
            two.consume(Channel.WEBHOOKS, recordingInto(handled, bySecond), options);

            for (int i = 0; i < count; i++) {
                sender.publish(Envelope.of(TENANT, Channel.WEBHOOKS, "hook " + i));
            }

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> handled.size() == count);
            // Every outcome recorded (a claim whose outcome is being written would lapse when time jumps), then
            // whatever is still claimed would come back after the claim timeout: move past it and watch.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> done(publisher) == count);
            clock.advance(Duration.ofHours(1));
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                    .until(() -> handled.values().stream().allMatch(n -> n.get() == 1));
        }

        assertThat(handled).hasSize(count);
        assertThat(byFirst).isNotEmpty().doesNotContainAnyElementsOf(bySecond);
        assertThat(bySecond).isNotEmpty();
        assertThat(byFirst.size() + bySecond.size()).isEqualTo(count);
    }

    private static long done(Database database) {
        return database.withConnection(connection -> {
            try (var select = connection.prepareStatement("SELECT COUNT(*) FROM irisx_outbox WHERE status = 'DONE'");
                    var rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    private static Handler recordingInto(Map<MessageId, AtomicInteger> handled, Set<MessageId> mine) {
        return delivery -> {
            handled.computeIfAbsent(delivery.envelope().id(), id -> new AtomicInteger()).incrementAndGet();
            mine.add(delivery.envelope().id());
            return Outcome.done();
        };
    }
}
