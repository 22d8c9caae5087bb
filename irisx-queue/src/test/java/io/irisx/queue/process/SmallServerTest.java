package io.irisx.queue.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.queue.JetStreamOutbox;
import io.irisx.queue.StreamSettings;
import io.irisx.queue.StreamSetupException;
import io.irisx.queue.TestNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * JetStream outboxes on a small server of the test's own ({@code max_file_store: 64MB}): the default streams reserve
 * nothing, and a stream that does not fit is refused with a clear error and leaves nothing behind.
 */
class SmallServerTest {

    private static final TenantId TENANT = TenantId.of("small-server");

    private final NatsServerProcess server = NatsServerProcess.withMaxFileStore("64MB");
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        try {
            for (int i = opened.size() - 1; i >= 0; i--) {
                opened.get(i).close();
            }
        } finally {
            server.close();
        }
    }

    @Test
    @DisplayName("the default streams start on a 64 MB server, reserve no bytes, and every channel's work is handled")
    void theDefaultsStartOnASmallServer() throws Exception {
        JetStreamOutbox outbox = defaults("one");

        handlesOnEveryChannel(outbox);
        try (Connection nats = TestNats.connect(server.url())) {
            JetStreamManagement management = nats.jetStreamManagement();
            assertThat(management.getStreamNames()).containsExactlyInAnyOrder("one_SMS", "one_EMAIL",
                    "one_WEBHOOKS", "one_VOICE");
            for (String stream : management.getStreamNames()) {
                assertThat(management.getStreamInfo(stream).getConfiguration().getMaxBytes())
                        .isEqualTo(StreamSettings.NO_BYTE_LIMIT);
            }
        }
    }

    @Test
    @DisplayName("two installations, each in its own namespace, both start on one 64 MB server with the defaults")
    void twoInstallationsShareASmallServer() throws Exception {
        JetStreamOutbox first = defaults("one");
        JetStreamOutbox second = defaults("two");

        handlesOnEveryChannel(first);
        handlesOnEveryChannel(second);
        try (Connection nats = TestNats.connect(server.url())) {
            assertThat(nats.jetStreamManagement().getStreamNames()).hasSize(8);
        }
    }

    @Test
    @DisplayName("a stream too large for the server is refused with an error naming it, the server's error and the"
            + " remedy, and no stream is left behind")
    void aStreamThatCannotFitFailsClearlyAndLeavesNothing() throws Exception {
        Database database = database();
        JetStreamOutbox outbox = open(JetStreamOutbox.builder().url(server.url()).namespace("big")
                .relayInterval(Duration.ofMillis(5))
                .stream(Channel.EMAIL, StreamSettings.defaults(Channel.EMAIL).withLimits(Duration.ofDays(7),
                        1_000_000, 1L << 30))
                .build(database, Clock.systemUTC()));

        assertThatThrownBy(() -> outbox.consume(Channel.EMAIL, delivery -> Outcome.done(),
                ConsumeOptions.builder().build()))
                .isInstanceOfSatisfying(StreamSetupException.class, e -> {
                    assertThat(e.stream()).isEqualTo("big_EMAIL");
                    assertThat(e.apiErrorCode()).hasValue(10047);
                })
                .hasMessageContaining("big_EMAIL")
                .hasMessageContaining("insufficient storage resources")
                .hasMessageContaining("10047")
                .hasMessageContaining("max_file_store")
                .hasMessageContaining("NO_BYTE_LIMIT");
        // The relay meets the same refusal: the record waits in the table, and still no stream exists.
        MessageId waiting = outbox.publish(Envelope.of(TENANT, Channel.EMAIL, "waits for a stream that fits"));
        MessageId other = outbox.publish(Envelope.of(TENANT, Channel.SMS, "its stream fits"));
        try (Connection nats = TestNats.connect(server.url())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> nats.jetStreamManagement().getStreamNames()
                    .contains("big_SMS") && nats.jetStreamManagement().getStreamInfo("big_SMS").getStreamState()
                    .getMsgCount() == 1);
            assertThat(nats.jetStreamManagement().getStreamNames()).containsExactly("big_SMS");
        }
        assertThat(unpublished(database)).containsExactly(waiting.value()).doesNotContain(other.value());
    }

    private JetStreamOutbox defaults(String namespace) {
        return open(JetStreamOutbox.builder().url(server.url()).namespace(namespace)
                .relayInterval(Duration.ofMillis(5)).build(database(), Clock.systemUTC()));
    }

    /** Consumes every channel, as a runtime with every module installed would, and sees one message of each handled. */
    private void handlesOnEveryChannel(JetStreamOutbox outbox) {
        Set<MessageId> handled = ConcurrentHashMap.newKeySet();
        List<MessageId> sent = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            opened.add(outbox.consume(channel, delivery -> {
                handled.add(delivery.envelope().id());
                return Outcome.done();
            }, ConsumeOptions.builder().pollInterval(Duration.ofMillis(100)).build()));
            sent.add(outbox.publish(Envelope.of(TENANT, channel, "on a small server")));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsAll(sent));
    }

    private Database database() {
        return open(TestDatabases.h2());
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static List<String> unpublished(Database database) {
        return database.withConnection(connection -> {
            List<String> ids = new ArrayList<>();
            try (var select = connection.prepareStatement("SELECT id FROM irisx_outbox_unpublished");
                    var rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }
}
