package io.irisx.core.outbox;

import io.irisx.core.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the work of every channel stands in the outbox table, across tenants, read at one moment: for an operator's
 * view, health checks and metrics, without SQL. Immutable and thread-safe.
 *
 * @param at when it was read
 * @param channels each channel's backlog, for every channel
 */
public record Backlog(Instant at, Map<Channel, ChannelBacklog> channels) {

    /** Checks every field. */
    public Backlog {
        Objects.requireNonNull(at, "at");
        channels = Map.copyOf(channels);
    }

    /** {@code channel}'s backlog. */
    public ChannelBacklog of(Channel channel) {
        return channels.get(channel);
    }

    /**
     * One channel's work.
     *
     * @param channel the channel
     * @param pending records waiting for a worker, due now or at a later retry
     * @param inFlight records a worker has claimed
     * @param dead records failed for good, each with a dead letter
     * @param overdue how long the most overdue pending record has been due without a worker taking it (zero when
     *     none is due): the measure of workers falling behind, as a record waiting for a later retry is not late
     * @param unpublished records a broker outbox's relay has not yet published to the broker (zero for the database
     *     outbox)
     * @param oldestUnpublished when the oldest of them was queued, if any: the relay's lag
     * @param longestInFlight the claimed records that have been in a worker's hands longest, longest first
     */
    public record ChannelBacklog(Channel channel, long pending, long inFlight, long dead, Duration overdue,
            long unpublished, Optional<Instant> oldestUnpublished, List<InFlight> longestInFlight) {

        /** Checks every field. */
        public ChannelBacklog {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(overdue, "overdue");
            Objects.requireNonNull(oldestUnpublished, "oldestUnpublished");
            longestInFlight = List.copyOf(longestInFlight);
        }

        /** How long the oldest unpublished record has waited for the relay at {@code now}; zero when none waits. */
        public Duration relayLag(Instant now) {
            return oldestUnpublished.map(oldest -> Duration.between(oldest, now)).orElse(Duration.ZERO);
        }
    }

    /**
     * A record in a worker's hands.
     *
     * @param envelope what the work is (its payload is never shown by {@code toString})
     * @param attempt which attempt this is
     * @param owner the worker holding the claim
     * @param claimedAt when the worker took its claim, or last extended it (a JetStream worker extends its claim
     *     while a long handling goes on)
     * @param claimLapsesAt when the claim lapses, letting another worker take the record
     * @param lastError the error of the attempt before, if one failed
     */
    public record InFlight(Envelope envelope, int attempt, String owner, Instant claimedAt, Instant claimLapsesAt,
            Optional<String> lastError) {

        /** Checks every field. */
        public InFlight {
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(claimedAt, "claimedAt");
            Objects.requireNonNull(claimLapsesAt, "claimLapsesAt");
            Objects.requireNonNull(lastError, "lastError");
        }
    }
}
