package io.irisx.queue;

import io.irisx.core.Channel;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.UUID;

/**
 * The test NATS server with JetStream at {@value #URL_ENV} (default {@value #DEFAULT_URL}), shared by the tests, each
 * in a namespace of its own, with small streams; thread-safe.
 */
public final class TestNats {

    /** The environment variable holding the test NATS server's URL. */
    public static final String URL_ENV = "IRISX_TEST_NATS_URL";
    static final String DEFAULT_URL = "nats://127.0.0.1:4222";
    /** Each test stream's size: the server reserves a stream's maxBytes up front. */
    static final long STREAM_BYTES = 64L << 20;

    private TestNats() {
    }

    public static String url() {
        String url = System.getenv(URL_ENV);
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /** A namespace no other test uses. */
    public static String namespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A builder on {@code url} in {@code namespace}, with small streams and quick relay and rechecks. */
    public static JetStreamOutbox.Builder outbox(String url, String namespace) {
        JetStreamOutbox.Builder builder = JetStreamOutbox.builder().url(url).namespace(namespace)
                .recheckInterval(Duration.ofMillis(20))
                .relayInterval(Duration.ofMillis(5))
                .sweepInterval(Duration.ofMillis(50));
        for (Channel channel : Channel.values()) {
            builder.stream(channel, StreamSettings.defaults(channel).withLimits(Duration.ofDays(1), 1_000_000,
                    STREAM_BYTES));
        }
        return builder;
    }

    public static Connection connect(String url) {
        try {
            return Nats.connect(Options.builder().server(url).maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(200)).build());
        } catch (Exception e) {
            throw new IllegalStateException("the test NATS server at " + url + " cannot be reached (scripts/test starts"
                    + " one): " + e.getMessage(), e);
        }
    }

    /** Deletes the streams of {@code namespace} on the shared test server. */
    public static void deleteStreams(String namespace) {
        deleteStreams(url(), namespace);
    }

    /** Deletes the streams of {@code namespace} on {@code url}. */
    public static void deleteStreams(String url, String namespace) {
        try (Connection connection = connect(url)) {
            JetStreamManagement management = connection.jetStreamManagement();
            for (String stream : management.getStreamNames()) {
                if (stream.startsWith(namespace + "_")) {
                    management.deleteStream(stream);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("deleting the test streams of " + namespace + " failed: " + e, e);
        }
    }
}
