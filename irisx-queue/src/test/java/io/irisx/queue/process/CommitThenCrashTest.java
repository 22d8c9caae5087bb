package io.irisx.queue.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.store.Database;
import io.irisx.core.testing.ChildJvm;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A process killed after its transaction commits and before its relay publishes, or while its own worker handles a
 * message queued claimed for it: the message is not lost.
 */
class CommitThenCrashTest {

    private Database database;
    private Outbox outbox;
    private final String namespace = TestNats.namespace();

    @AfterEach
    void close() {
        if (outbox != null) {
            outbox.close();
        }
        if (database != null) {
            database.close();
        }
        TestNats.deleteStreams(namespace);
    }

    @Test
    @DisplayName("a message committed by a process killed before publishing is published on restart and handled once")
    void committedButUnpublishedMessageIsHandledExactlyOnce() throws Exception {
        database = TestDatabases.postgres();
        ChildJvm crashing = ChildJvm.start("crashing", OutboxProcessMain.class, "--kind", "jetstream", "--mode", "commit",
                "--jdbc", TestDatabases.url(database), "--nats", TestNats.url(), "--namespace", namespace);
        MessageId id = MessageId.parse(crashing.awaitLine("committed ", Duration.ofSeconds(30)).split(" ")[1]);
        crashing.kill();

        assertThat(ProcessTestSupport.count(database,
                "SELECT COUNT(*) FROM irisx_outbox_unpublished WHERE id = '" + id.value() + "'"))
                .as("the record is committed and was never published").isEqualTo(1);
        try (Connection nats = TestNats.connect(TestNats.url())) {
            long onStream;
            try {
                onStream = nats.jetStreamManagement().getStreamInfo(namespace + "_EMAIL").getStreamState().getMsgCount();
            } catch (JetStreamApiException e) {
                assertThat(e.getApiErrorCode()).as("the stream is missing, not broken").isEqualTo(10059);
                onStream = 0;
            }
            assertThat(onStream).as("nothing reached the stream").isZero();
        }

        Map<MessageId, AtomicInteger> handled = new ConcurrentHashMap<>();
        outbox = OutboxProcessMain.open(Map.of("kind", "jetstream", "nats", TestNats.url(), "namespace", namespace),
                database, Duration.ofMillis(5));
        outbox.consume(Channel.EMAIL, delivery -> {
            handled.computeIfAbsent(delivery.envelope().id(), k -> new AtomicInteger()).incrementAndGet();
            return Outcome.done();
        }, ConsumeOptions.builder().pollInterval(Duration.ofMillis(100)).build());

        await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsKey(id));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> handled.size() == 1 && handled.get(id).get() == 1);
        assertThat(ProcessTestSupport.count(database,
                "SELECT COUNT(*) FROM irisx_outbox WHERE status = 'DONE' AND id = '" + id.value() + "'")).isEqualTo(1);
    }

    @Test
    @DisplayName("a message queued claimed by a process killed while handling it is published when its claim lapses,"
            + " and handled once more")
    void aMessageClaimedAsItWasQueuedByAKilledProcessIsHandledAgain() throws Exception {
        database = TestDatabases.postgres();
        ChildJvm crashing = ChildJvm.start("crashing", OutboxProcessMain.class, "--kind", "jetstream", "--mode",
                "claim", "--claim-millis", "2000", "--jdbc", TestDatabases.url(database), "--nats", TestNats.url(),
                "--namespace", namespace);
        MessageId id = MessageId.parse(crashing.awaitLine("handling ", Duration.ofSeconds(30)).split(" ")[1]);
        crashing.kill();

        assertThat(ProcessTestSupport.count(database, "SELECT COUNT(*) FROM irisx_outbox WHERE status = 'IN_FLIGHT'"
                + " AND NOT relayed AND attempts = 1 AND id = '" + id.value() + "'"))
                .as("the record is claimed for the dead worker, as its first try").isEqualTo(1);
        assertThat(ProcessTestSupport.count(database, "SELECT COUNT(*) FROM irisx_outbox_unpublished")).isZero();
        try (Connection nats = TestNats.connect(TestNats.url())) {
            assertThat(nats.jetStreamManagement().getStreamInfo(namespace + "_EMAIL").getStreamState()
                    .getLastSequence()).as("nothing reached the stream").isZero();
        }

        Map<MessageId, List<Integer>> handled = new ConcurrentHashMap<>();
        outbox = TestNats.outbox(TestNats.url(), namespace).relayInterval(Duration.ofMillis(5))
                .sweepInterval(Duration.ofMillis(100)).build(database, Clock.systemUTC());
        outbox.consume(Channel.EMAIL, delivery -> {
            handled.computeIfAbsent(delivery.envelope().id(), k -> new CopyOnWriteArrayList<>())
                    .add(delivery.attempt());
            return Outcome.done();
        }, ConsumeOptions.builder().pollInterval(Duration.ofMillis(100)).build());

        await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsKey(id));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> handled.size() == 1 && handled.get(id).equals(List.of(2)));
        assertThat(ProcessTestSupport.count(database,
                "SELECT COUNT(*) FROM irisx_outbox WHERE status = 'DONE' AND id = '" + id.value() + "'")).isEqualTo(1);
    }
}
