package io.irisx.queue;

import io.irisx.core.Channel;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels' streams of one {@link JetStreamOutbox}, each set up when the outbox first needs it (a worker of the
 * channel starts, or the relay has a record of it); thread-safe.
 *
 * <p>Setting up a channel's stream creates it, or brings the stream found to its settings. A setup concerns one
 * stream, and a stream the server refuses does not exist, so a failed setup leaves nothing behind: it throws a {@link
 * StreamSetupException} naming the stream, the server's error and what to do, and the next use of the channel tries
 * again. No stream exists for a channel no worker and no record of this outbox used.
 */
final class ChannelStreams {

    private static final Logger log = LoggerFactory.getLogger(ChannelStreams.class);
    /** JetStream's error code for a stream that does not exist. */
    private static final int STREAM_NOT_FOUND = 10059;

    private final Connection connection;
    private final Map<Channel, StreamSettings> settings;
    private final String instance;
    /** Channels whose stream is set up, for the relay and workers to use without asking the server. */
    private final Set<Channel> ready = ConcurrentHashMap.newKeySet();
    /** Channels whose stream this outbox brought to its settings once. */
    private final Set<Channel> configured = ConcurrentHashMap.newKeySet();
    /** Channels whose last setup failed, so that the failure is logged once until a setup works. */
    private final Set<Channel> failing = ConcurrentHashMap.newKeySet();

    ChannelStreams(Connection connection, Map<Channel, StreamSettings> settings, String instance) {
        this.connection = connection;
        this.settings = settings;
        this.instance = instance;
    }

    /** The settings of {@code channel}'s stream. */
    StreamSettings settings(Channel channel) {
        return settings.get(channel);
    }

    /**
     * Sets up {@code channel}'s stream unless it is already.
     *
     * @throws StreamSetupException when the server refuses the stream, or does not answer
     */
    void ensure(Channel channel) {
        if (!ready.contains(channel)) {
            setUp(channel);
        }
    }

    /** Makes the next {@link #ensure} of {@code channel} look at the server again (a publish to it failed). */
    void invalidate(Channel channel) {
        ready.remove(channel);
    }

    private synchronized void setUp(Channel channel) {
        if (ready.contains(channel)) {
            return;
        }
        StreamSettings stream = settings(channel);
        try {
            JetStreamManagement management = connection.jetStreamManagement();
            if (find(management, stream.name()) == null) {
                create(management, stream);
            } else if (!configured.contains(channel)) {
                // The first look of this outbox: bring the stream to these settings (they may have changed).
                update(management, stream);
            }
            configured.add(channel);
            ready.add(channel);
            if (failing.remove(channel)) {
                log.info("irisx JetStream outbox {}: stream {} is set up again", instance, stream.name());
            }
        } catch (StreamSetupException e) {
            if (failing.add(channel)) {
                log.warn("irisx JetStream outbox {}: {}", instance, e.getMessage());
            }
            throw e;
        } catch (IOException e) {
            StreamSetupException failure = new StreamSetupException(stream.name(), "setting up", 0,
                    "the server did not answer: " + e.getMessage(), e);
            if (failing.add(channel)) {
                log.warn("irisx JetStream outbox {}: {}", instance, failure.getMessage());
            }
            throw failure;
        }
    }

    private static StreamInfo find(JetStreamManagement management, String name) throws IOException {
        try {
            return management.getStreamInfo(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
                return null;
            }
            throw new StreamSetupException(name, "looking up", e.getApiErrorCode(), e.getErrorDescription(), e);
        }
    }

    private StreamInfo create(JetStreamManagement management, StreamSettings stream) throws IOException {
        try {
            StreamInfo info = management.addStream(configuration(stream));
            log.info("irisx JetStream outbox {}: created stream {} ({})", instance, stream.name(), stream);
            return info;
        } catch (JetStreamApiException e) {
            throw new StreamSetupException(stream.name(), "creating", e.getApiErrorCode(), e.getErrorDescription(),
                    e);
        }
    }

    private static StreamInfo update(JetStreamManagement management, StreamSettings stream) throws IOException {
        try {
            return management.updateStream(configuration(stream));
        } catch (JetStreamApiException e) {
            throw new StreamSetupException(stream.name(), "updating", e.getApiErrorCode(), e.getErrorDescription(),
                    e);
        }
    }

    private static StreamConfiguration configuration(StreamSettings settings) {
        Objects.requireNonNull(settings, "settings");
        return StreamConfiguration.builder()
                .name(settings.name())
                .subjects(settings.subjects())
                .storageType(settings.storage())
                .retentionPolicy(RetentionPolicy.WorkQueue)
                .discardPolicy(DiscardPolicy.New)
                .maxAge(settings.maxAge())
                .maxMessages(settings.maxMessages())
                .maxBytes(settings.maxBytes())
                .duplicateWindow(settings.duplicateWindow())
                .replicas(settings.replicas())
                .build();
    }
}
