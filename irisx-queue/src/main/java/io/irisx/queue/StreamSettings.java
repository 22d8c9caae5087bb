package io.irisx.queue;

import io.irisx.core.Channel;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One channel's JetStream stream as the {@link JetStreamOutbox} creates or updates it: name, subjects and limits;
 * immutable.
 *
 * <p>The first subject carries the channel's outbox (sends); the others are the channel's, for its status traffic.
 * Streams keep work-queue retention with the "discard new" policy: a message leaves the stream once a worker
 * acknowledges it, and a full stream refuses new messages (the relay keeps them in the outbox table and tries again)
 * rather than dropping old, unprocessed ones.
 *
 * <p><b>Byte limits are reservations.</b> A JetStream server sets aside a stream's {@code maxBytes} (times its
 * replicas) of its {@code max_file_store} (or {@code max_memory_store}) when it creates the stream, used or not, and
 * refuses a stream that does not fit ({@code insufficient storage resources available}, error 10047). The defaults
 * therefore set no byte limit ({@link #NO_BYTE_LIMIT}, which reserves nothing) and bound each stream by age and
 * message count instead; the disk they use is bounded by the server's own {@code max_file_store}, and when that is
 * full the stream refuses new messages, which wait in the outbox table until there is room. Give a stream a byte
 * limit only where the account requires one, or to cap one channel's share of a server sized for all of them.
 *
 * @param name the stream's name
 * @param subjects its subjects, the outbox's first
 * @param storage file (durable) or memory
 * @param maxAge how long a message may wait in the stream
 * @param maxMessages the most messages it holds
 * @param maxBytes the most bytes it holds, reserved on the server when the stream is created; {@link #NO_BYTE_LIMIT}
 *     for none
 * @param duplicateWindow how long the stream remembers a publication id to drop a second copy; at least 2 minutes
 * @param replicas copies kept in a cluster, 1 to 5
 */
public record StreamSettings(String name, List<String> subjects, StorageType storage, Duration maxAge,
        long maxMessages, long maxBytes, Duration duplicateWindow, int replicas) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /** The {@code maxBytes} that sets no byte limit, and so reserves nothing on the server: the default. */
    public static final long NO_BYTE_LIMIT = -1;

    /** Checks every field, naming the one that is wrong. */
    public StreamSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subjects, "subjects");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-64 letters, digits, '_' or '-', was '" + name + "'");
        }
        subjects = List.copyOf(subjects);
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("subjects must name at least the outbox's subject, was empty");
        }
        for (String subject : subjects) {
            if (!SUBJECT.matcher(subject).matches()) {
                throw new IllegalArgumentException("subjects: '" + subject + "' is not a plain NATS subject");
            }
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
        }
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, was " + maxMessages);
        }
        if (maxBytes < 1 && maxBytes != NO_BYTE_LIMIT) {
            throw new IllegalArgumentException("maxBytes must be at least 1, or NO_BYTE_LIMIT (-1), was " + maxBytes);
        }
        if (duplicateWindow.compareTo(Duration.ofMinutes(2)) < 0 || duplicateWindow.compareTo(maxAge) > 0) {
            throw new IllegalArgumentException("duplicateWindow must be between 2 minutes and maxAge (" + maxAge
                    + "), was " + duplicateWindow);
        }
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("replicas must be between 1 and 5, was " + replicas);
        }
    }

    /**
     * The defaults for {@code channel}: stream {@code SMS} with subjects {@code sms.send} and {@code sms.status},
     * {@code EMAIL} ({@code email.send}, {@code email.status}), {@code WEBHOOKS} ({@code webhooks.deliver},
     * {@code webhooks.retry}) or {@code VOICE} ({@code voice.call}, {@code voice.status}); file storage, 7 days,
     * 1,000,000 messages, no byte limit (nothing reserved on the server), a 2-minute duplicate window, 1 replica.
     */
    public static StreamSettings defaults(Channel channel) {
        Objects.requireNonNull(channel, "channel");
        List<String> subjects = switch (channel) {
            case SMS -> List.of("sms.send", "sms.status");
            case EMAIL -> List.of("email.send", "email.status");
            case WEBHOOKS -> List.of("webhooks.deliver", "webhooks.retry");
            case VOICE -> List.of("voice.call", "voice.status");
        };
        return new StreamSettings(channel.name(), subjects, StorageType.File, Duration.ofDays(7), 1_000_000,
                NO_BYTE_LIMIT, Duration.ofMinutes(2), 1);
    }

    /** The subject the outbox publishes the channel's work on. */
    public String outboxSubject() {
        return subjects.get(0);
    }

    /** These settings with the stream renamed and every subject under {@code prefix} ({@code prefix.sms.send}). */
    public StreamSettings namespaced(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new StreamSettings(prefix + "_" + name, subjects.stream().map(s -> prefix + "." + s).toList(), storage,
                maxAge, maxMessages, maxBytes, duplicateWindow, replicas);
    }

    /** These settings with {@code replicas} copies (3 in a three-node cluster). */
    public StreamSettings withReplicas(int replicas) {
        return new StreamSettings(name, subjects, storage, maxAge, maxMessages, maxBytes, duplicateWindow, replicas);
    }

    /** These settings with other limits ({@code maxBytes} {@link #NO_BYTE_LIMIT} for no byte limit). */
    public StreamSettings withLimits(Duration maxAge, long maxMessages, long maxBytes) {
        return new StreamSettings(name, subjects, storage, maxAge, maxMessages, maxBytes, duplicateWindow, replicas);
    }
}
