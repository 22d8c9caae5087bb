package io.irisx.queue.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.health.Health;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The test's own {@code nats-server} stopped and started while senders and workers run: every send succeeds
 * meanwhile, and every committed message is handled after the restart.
 */
class BrokerRestartTest {

    private final NatsServerProcess server = NatsServerProcess.start();
    private final Database database = TestDatabases.postgres();
    private Outbox outbox;

    @AfterEach
    void close() {
        try {
            if (outbox != null) {
                outbox.close();
            }
            database.close();
        } finally {
            server.close();
        }
    }

    @Test
    @DisplayName("no send is lost while the broker restarts, and every committed message is handled after it")
    void brokerRestartLosesNothing() throws Exception {
        outbox = TestNats.outbox(server.url(), "restart").build(database, Clock.systemUTC());
        Map<MessageId, AtomicInteger> handled = new ConcurrentHashMap<>();
        outbox.consume(Channel.EMAIL, delivery -> {
            handled.computeIfAbsent(delivery.envelope().id(), k -> new AtomicInteger()).incrementAndGet();
            return Outcome.done();
        }, ConsumeOptions.builder().concurrency(4).pollInterval(Duration.ofMillis(100)).build());

        Set<MessageId> sent = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger sendFailures = new AtomicInteger();
        Thread sender = new Thread(() -> {
            while (sending.get()) {
                try {
                    sent.add(outbox.publish(Envelope.of(TenantId.of("restart"), Channel.EMAIL, "during a restart")));
                } catch (RuntimeException e) {
                    sendFailures.incrementAndGet();
                }
            }
        }, "sender");
        sender.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() >= 300);
        assertThat(outbox.health().status()).isEqualTo(Health.Status.UP);
        server.stop();
        int sentWhenStopped = sent.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.health().status() == Health.Status.DOWN);
        assertThat(outbox.health().detail()).contains("NATS connection", "work waits in the outbox table");
        // Sends go on while the broker is away: they only need the database.
        await().atMost(Duration.ofSeconds(60)).until(() -> sent.size() >= sentWhenStopped + 300);
        int handledWhileDown = handled.size();
        server.startAgain();
        await().atMost(Duration.ofSeconds(60)).until(() -> outbox.health().status() == Health.Status.UP);
        await().atMost(Duration.ofSeconds(60)).until(() -> sent.size() >= sentWhenStopped + 600);
        sending.set(false);
        sender.join();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> handled.keySet().containsAll(sent));
        assertThat(sendFailures.get()).isZero();
        assertThat(handled.size()).isGreaterThan(handledWhileDown);
        assertThat(handled.keySet()).isEqualTo(sent);
        assertThat(handled.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    }
}
