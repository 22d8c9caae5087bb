package io.irisx.webhooks.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Delivery figures over a window of time, for one endpoint or all of a tenant's; immutable.
 *
 * @param from the window's start, included
 * @param to the window's end, excluded
 * @param messages how many messages created in the window are in each status (every status is present)
 * @param attempts how many attempts were made in the window
 * @param p50Latency the median latency of those attempts, when there were any
 * @param p95Latency the 95th percentile of their latency, when there were any
 */
public record EndpointStats(Instant from, Instant to, Map<MessageStatus, Long> messages, long attempts,
        Optional<Duration> p50Latency, Optional<Duration> p95Latency) {

    /** Checks every field and fills in a zero for each status missing from {@code messages}. */
    public EndpointStats {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Map<MessageStatus, Long> all = new EnumMap<>(MessageStatus.class);
        for (MessageStatus status : MessageStatus.values()) {
            all.put(status, messages.getOrDefault(status, 0L));
        }
        messages = Map.copyOf(all);
        Objects.requireNonNull(p50Latency, "p50Latency");
        Objects.requireNonNull(p95Latency, "p95Latency");
    }

    /** How many messages were created in the window. */
    public long totalMessages() {
        return messages.values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many messages created in the window are in {@code status}. */
    public long count(MessageStatus status) {
        return messages.get(Objects.requireNonNull(status, "status"));
    }

    /**
     * The share of finished messages that succeeded: succeeded over succeeded, failed and exhausted; empty when none
     * has finished.
     */
    public OptionalDouble successRate() {
        long succeeded = count(MessageStatus.SUCCEEDED);
        long finished = succeeded + count(MessageStatus.FAILED) + count(MessageStatus.EXHAUSTED);
        return finished == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) succeeded / finished);
    }
}
