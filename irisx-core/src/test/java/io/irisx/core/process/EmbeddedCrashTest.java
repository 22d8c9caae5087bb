package io.irisx.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.testing.ChildJvm;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default keeps what it confirmed: a host JVM on {@code Irisx.builder().dataDirectory(d)} killed with
 * SIGKILL right after its last {@code publish} returned, or in the middle of sending and handling, loses nothing when
 * {@code d} is opened again, and handles again only work it had not yet marked done.
 */
class EmbeddedCrashTest {

    @TempDir
    Path data;

    @Test
    @DisplayName("every envelope whose publish returned is there after the JVM is killed at once")
    void publishedIsDurableAtReturn() {
        int count = 2_000;
        ChildJvm host = ChildJvm.start("publisher", EmbeddedProcessMain.class, data.toString(), "publish",
                String.valueOf(count));
        host.awaitLine("all-published", Duration.ofMinutes(2));
        host.kill();
        List<String> published = host.linesAfter("published ");

        assertThat(published).hasSize(count);
        try (Irisx reopened = Irisx.builder().dataDirectory(data).build()) {
            assertThat(missing(published, statuses(reopened).keySet())).isEmpty();
        }
    }

    @Test
    @DisplayName("a JVM killed while sending and handling loses no envelope and repeats only unfinished work")
    void killedMidWayLosesNothing() {
        int count = 5_000;
        ChildJvm host = ChildJvm.start("worker", EmbeddedProcessMain.class, data.toString(), "work",
                String.valueOf(count));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> host.linesAfter("handled ").size() >= count / 5);
        host.kill();
        Set<String> published = new HashSet<>(host.linesAfter("published "));
        List<String> handledBefore = host.linesAfter("handled ");

        Map<String, Integer> handledAfter = new ConcurrentHashMap<>();
        try (Irisx reopened = Irisx.builder().dataDirectory(data).build()) {
            Map<String, String> atRestart = statuses(reopened);
            assertThat(missing(published, atRestart.keySet())).isEmpty();
            try (Subscription worker = reopened.outbox().consume(Channel.EMAIL, delivery -> {
                handledAfter.merge(delivery.envelope().id().value(), 1, Integer::sum);
                return Outcome.done();
            }, ConsumeOptions.builder().concurrency(EmbeddedProcessMain.CONCURRENCY).claimTimeout(Duration.ofSeconds(1)).build())) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> statuses(reopened).values().stream().allMatch("DONE"::equals));
            }
            Set<String> handledTwice = new HashSet<>(handledBefore);
            handledTwice.retainAll(handledAfter.keySet());
            // Only what the killed JVM was handling, or had handled with its outcome still waiting for the worker's
            // recorder, comes again: never work marked done.
            assertThat(handledTwice)
                    .hasSizeLessThanOrEqualTo(EmbeddedProcessMain.CONCURRENCY + EmbeddedProcessMain.BATCH_SIZE)
                    .allSatisfy(id -> assertThat(atRestart.get(id)).isNotEqualTo("DONE"));
            Set<String> handledAtAll = new HashSet<>(handledBefore);
            handledAtAll.addAll(handledAfter.keySet());
            assertThat(missing(published, handledAtAll)).isEmpty();
        }
    }

    /** The ids of {@code expected} absent from {@code present}. */
    private static Set<String> missing(Collection<String> expected, Set<String> present) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(present);
        return missing;
    }

    /** Every outbox record of the test's tenant, by id, with its status. */
    private static Map<String, String> statuses(Irisx irisx) {
        return irisx.database().withConnection(connection -> {
            Map<String, String> statuses = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, status FROM irisx_outbox WHERE tenant_id = ?")) {
                select.setString(1, EmbeddedProcessMain.TENANT.value());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        statuses.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
            return statuses;
        });
    }
}
