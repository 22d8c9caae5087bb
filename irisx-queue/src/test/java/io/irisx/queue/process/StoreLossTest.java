package io.irisx.queue.process;

import static io.irisx.queue.process.ProcessTestSupport.count;
import static io.irisx.queue.process.ProcessTestSupport.doneCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import io.nats.client.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The test's own {@code nats-server} killed and started again on the same port without its store, while 3,000
 * relayed messages wait unconsumed: the same outbox, reconnected, relays them again and they are all handled.
 */
class StoreLossTest {

    private static final int MESSAGES = 3_000;

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
    @DisplayName("messages relayed to a broker that comes back without its store are relayed again and all handled")
    void aBrokerThatLostItsStoreGetsTheUnfinishedWorkAgain() throws Exception {
        // The default sweep interval (a minute): what brings the work back is the reconnection, not the sweep.
        outbox = TestNats.outbox(server.url(), "lost").sweepInterval(Duration.ofMinutes(1))
                .build(database, Clock.systemUTC());
        CountDownLatch paused = new CountDownLatch(1);
        Map<MessageId, AtomicInteger> handled = new ConcurrentHashMap<>();
        outbox.consume(Channel.EMAIL, delivery -> {
            // Consumption is paused: the first deliveries hold their slots until the broker is back.
            if (!paused.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never resumed");
            }
            handled.computeIfAbsent(delivery.envelope().id(), id -> new AtomicInteger()).incrementAndGet();
            return Outcome.done();
        }, ConsumeOptions.builder().concurrency(4).claimTimeout(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100)).build());

        List<MessageId> sent = ProcessTestSupport.publish(outbox, database, MESSAGES);
        await().atMost(Duration.ofSeconds(60)).until(() -> unpublished() == 0);
        assertThat(doneCount(database)).isZero();

        server.kill();
        server.wipeStore();
        server.startAgain();
        // The deliveries in progress finish only once the stream is back: their records are in flight meanwhile.
        try (Connection nats = TestNats.connect(server.url())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> nats.jetStreamManagement().getStreamNames()
                    .contains("lost_EMAIL"));
        }
        paused.countDown();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> doneCount(database) == MESSAGES);
        assertThat(handled.keySet()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(handled.values()).allSatisfy(times -> assertThat(times.get()).isEqualTo(1));
    }

    private long unpublished() {
        return count(database, "SELECT COUNT(*) FROM irisx_outbox_unpublished");
    }
}
