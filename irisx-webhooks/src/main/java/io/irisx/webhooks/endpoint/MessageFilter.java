package io.irisx.webhooks.endpoint;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which messages {@link WebhookEndpoints#messages} returns; immutable.
 *
 * @param status only the messages in this status; empty for all
 * @param since only the messages created at or after this time; empty for all
 */
public record MessageFilter(Optional<MessageStatus> status, Optional<Instant> since) {

    /** Checks that no field is null. */
    public MessageFilter {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
    }

    /** Every message. */
    public static MessageFilter all() {
        return new MessageFilter(Optional.empty(), Optional.empty());
    }

    /** This filter, keeping only the messages in {@code status}. */
    public MessageFilter withStatus(MessageStatus status) {
        return new MessageFilter(Optional.of(Objects.requireNonNull(status, "status")), since);
    }

    /** This filter, keeping only the messages created at or after {@code since}. */
    public MessageFilter since(Instant since) {
        return new MessageFilter(status, Optional.of(Objects.requireNonNull(since, "since")));
    }
}
