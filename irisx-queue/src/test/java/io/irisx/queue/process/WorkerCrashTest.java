package io.irisx.queue.process;

import static io.irisx.queue.process.ProcessTestSupport.doneCount;
import static io.irisx.queue.process.ProcessTestSupport.handledCount;
import static io.irisx.queue.process.ProcessTestSupport.handlings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import io.irisx.core.testing.ChildJvm;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A worker process killed with SIGKILL in the middle of 10,000 messages: a new worker process finishes them, none is
 * lost, and only messages the dead worker had not settled are handled again: those it was handling, and at most a
 * batch handled whose outcomes waited for its recorder. On JetStream and on the JDBC outbox, both with PostgreSQL.
 */
class WorkerCrashTest {

    private static final int MESSAGES = 10_000;
    private static final int CONCURRENCY = 8;

    private Database database;
    private Outbox publisher;
    private String namespace;

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.close();
        }
        if (database != null) {
            database.close();
        }
        if (namespace != null) {
            TestNats.deleteStreams(namespace);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jetstream", "jdbc"})
    void aKilledWorkersMessagesAreFinishedByAnotherAndNoneIsLost(String kind) {
        database = TestDatabases.postgres();
        ProcessTestSupport.createHandledTable(database);
        namespace = TestNats.namespace();
        String[] common = {"--kind", kind, "--jdbc", TestDatabases.url(database), "--nats", TestNats.url(),
                "--namespace", namespace, "--concurrency", String.valueOf(CONCURRENCY), "--claim-millis", "2000"};
        publisher = OutboxProcessMain.open(Map.of("kind", kind, "nats", TestNats.url(), "namespace", namespace),
                database, Duration.ofMillis(5));
        List<MessageId> ids = ProcessTestSupport.publish(publisher, database, MESSAGES);

        ChildJvm first = ChildJvm.start("first", OutboxProcessMain.class, concat(common, "--worker", "first"));
        await().atMost(Duration.ofMinutes(3)).until(() -> handledCount(database) >= MESSAGES / 5);
        first.kill();
        long handledBeforeTheCrash = handledCount(database);

        try (ChildJvm second = ChildJvm.start("second", OutboxProcessMain.class, concat(common, "--worker", "second"))) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> doneCount(database) == MESSAGES);
        }

        Map<MessageId, List<String>> handlings = handlings(database);
        assertThat(handlings.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(handledBeforeTheCrash).isLessThan(MESSAGES);
        List<List<String>> repeated = handlings.values().stream().filter(workers -> workers.size() > 1).toList();
        // Handled again: only what the killed worker was handling, or had handled with its outcome not yet recorded
        // (at most a batch waits for the recorder), never a message it had settled.
        assertThat(repeated).hasSizeLessThanOrEqualTo(CONCURRENCY + OutboxProcessMain.BATCH_SIZE)
                .allSatisfy(workers -> assertThat(workers).containsExactly("first", "second"));
        assertThat(publisher.deadLetters().list(ProcessTestSupport.TENANT, Channel.EMAIL, 10, Optional.empty()))
                .isEmpty();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
