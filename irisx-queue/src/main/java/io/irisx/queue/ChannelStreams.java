package io.irisx.queue;

import io.irisx.core.Channel;
import io.irisx.core.outbox.spi.BrokerStreams;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels' streams of one {@link JetStreamOutbox}, each set up when the outbox first needs it (a worker of the
 * channel starts, or the relay has a record of it), then watched for being created anew; thread-safe.
 *
 * <p>Setting up a channel's stream creates it, or brings the stream found to its settings, and records its creation
 * time beside the outbox table ({@link BrokerStreams#streamCreated}). A setup concerns one stream, and a stream the
 * server refuses does not exist, so a failed setup leaves nothing behind: it throws a {@link StreamSetupException}
 * naming the stream, the server's error and what to do, and the next use of the channel tries again. No stream exists
 * for a channel no worker and no record of this outbox used.
 *
 * <p>A stream found with a later creation time than the one recorded was created anew, empty (the server came back
 * without its store, or the stream was deleted): every record relayed to it and not finished is made unpublished for
 * the relay to publish again, and the channel's workers are told to bind to the new stream's consumer. {@link
 * #verify()} looks at every stream set up so far, and sets up again those that are gone.
 */
final class ChannelStreams {

    private static final Logger log = LoggerFactory.getLogger(ChannelStreams.class);
    /** JetStream's error code for a stream that does not exist. */
    private static final int STREAM_NOT_FOUND = 10059;
    /** JetStream's error code for a stream that exists with other settings. */
    private static final int STREAM_NAME_IN_USE = 10058;

    private final Connection connection;
    private final Map<Channel, StreamSettings> settings;
    private final BrokerStreams store;
    private final String instance;
    private final Runnable requeued;
    private final Consumer<Channel> recreated;
    /** Channels whose stream is set up, for the relay and workers to use without asking the server. */
    private final Set<Channel> ready = ConcurrentHashMap.newKeySet();
    /** The creation time (epoch ns) of each channel's stream when this outbox last looked at it. */
    private final Map<Channel, Long> created = new ConcurrentHashMap<>();
    /** Channels whose last setup failed, so that the failure is logged once until a setup works. */
    private final Set<Channel> failing = ConcurrentHashMap.newKeySet();

    /**
     * @param requeued told when records were made unpublished again, to wake the relay
     * @param recreated told of a channel whose stream is gone or was created anew since this outbox last looked,
     *     before the new stream is set up, for its workers to stop answering the old stream's deliveries and bind
     *     again
     */
    ChannelStreams(Connection connection, Map<Channel, StreamSettings> settings, BrokerStreams store, String instance,
            Runnable requeued, Consumer<Channel> recreated) {
        this.connection = connection;
        this.settings = settings;
        this.store = store;
        this.instance = instance;
        this.requeued = requeued;
        this.recreated = recreated;
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

    /**
     * Looks at the stream of every channel used so far: sets up again one that is gone, and relays again the
     * unfinished records of one created anew. Failures are logged; the next look tries again.
     */
    void verify() {
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            return;
        }
        for (Channel channel : List.copyOf(created.keySet())) {
            try {
                recheck(channel);
            } catch (RuntimeException e) {
                log.debug("irisx JetStream outbox {}: looking at stream {} failed: {}", instance,
                        settings(channel).name(), e.toString());
            }
        }
    }

    private synchronized void recheck(Channel channel) {
        ready.remove(channel);
        setUp(channel);
    }

    private synchronized void setUp(Channel channel) {
        if (ready.contains(channel)) {
            return;
        }
        StreamSettings stream = settings(channel);
        try {
            JetStreamManagement management = connection.jetStreamManagement();
            StreamInfo info = find(management, stream.name());
            Long before = created.get(channel);
            if (before != null && (info == null || nanos(info) != before)) {
                // Gone or replaced: the workers stop answering the old stream's deliveries before a new one exists.
                recreated.accept(channel);
            }
            if (info == null) {
                info = create(management, stream);
            } else if (before == null) {
                // The first look of this outbox: bring the stream to these settings (they may have changed).
                info = update(management, stream);
            }
            seen(channel, stream, info);
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

    /** Records the creation time of the stream found, and acts on a stream created anew. */
    private void seen(Channel channel, StreamSettings stream, StreamInfo info) {
        long nanos = nanos(info);
        Long before = created.get(channel);
        if (before != null && before == nanos) {
            return;
        }
        OptionalInt relayedAgain = store.streamCreated(stream.name(), channel, nanos);
        created.put(channel, nanos);
        if (relayedAgain.isPresent()) {
            log.warn("irisx JetStream outbox {}: stream {} was created anew at {} (the server lost its store, or the"
                    + " stream was deleted); relaying its {} unfinished record(s) again", instance, stream.name(),
                    info.getCreateTime().toInstant(), relayedAgain.getAsInt());
            if (relayedAgain.getAsInt() > 0) {
                requeued.run();
            }
        }
    }

    /** When the stream was created, in epoch nanoseconds. */
    private static long nanos(StreamInfo info) {
        Instant createdAt = info.getCreateTime().toInstant();
        return createdAt.getEpochSecond() * 1_000_000_000L + createdAt.getNano();
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
            if (e.getApiErrorCode() == STREAM_NAME_IN_USE) {
                // Another process created it meanwhile, with other settings: bring it to these.
                return update(management, stream);
            }
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
