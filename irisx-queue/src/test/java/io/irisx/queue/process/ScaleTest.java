package io.irisx.queue.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.store.Database;
import io.irisx.core.testing.ChildJvm;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.TestNats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Three worker processes share one durable JetStream consumer. */
class ScaleTest {

    private static final int MESSAGES = 3000;

    private final Database database = TestDatabases.postgres();
    private final String namespace = TestNats.namespace();
    private final List<ChildJvm> workers = new ArrayList<>();
    private Outbox publisher;

    @AfterEach
    void close() {
        workers.forEach(ChildJvm::close);
        if (publisher != null) {
            publisher.close();
        }
        database.close();
        TestNats.deleteStreams(namespace);
    }

    @Test
    @DisplayName("three worker processes on one consumer handle every message once between them, each a share")
    void threeWorkersShareTheWork() {
        ProcessTestSupport.createHandledTable(database);
        publisher = OutboxProcessMain.open(Map.of("kind", "jetstream", "nats", TestNats.url(), "namespace", namespace),
                database, Duration.ofMillis(5));
        for (String name : List.of("one", "two", "three")) {
            workers.add(ChildJvm.start(name, OutboxProcessMain.class, "--kind", "jetstream", "--jdbc", TestDatabases.url(database),
                    "--nats", TestNats.url(), "--namespace", namespace, "--worker", name, "--concurrency", "4"));
        }

        List<MessageId> ids = ProcessTestSupport.publish(publisher, database, MESSAGES);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> ProcessTestSupport.doneCount(database) == MESSAGES);
        Map<MessageId, List<String>> handlings = ProcessTestSupport.handlings(database);
        assertThat(handlings.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(handlings.values()).allSatisfy(workers -> assertThat(workers).hasSize(1));
        Map<String, Long> perWorker = handlings.values().stream()
                .collect(Collectors.groupingBy(workers -> workers.get(0), Collectors.counting()));
        assertThat(perWorker).containsOnlyKeys("one", "two", "three")
                .allSatisfy((worker, count) -> assertThat(count).as(worker).isGreaterThan(MESSAGES / 10));
    }
}
