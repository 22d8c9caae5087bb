package io.irisx.messaging.sms;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a tenant's SMS and MMS messages a listing ({@link SmsClient#list(SmsFilter, io.irisx.core.PageRequest)})
 * returns: by status, by recipient, by sender and by when they were queued; immutable.
 *
 * <p>The recipient and sender are kept as given: the client reads them as it reads a message's numbers (E.164, or a
 * national number in its default region; a sender may also be an alphanumeric id) when it lists.
 *
 * <pre>{@code
 * Page<Sms> failed = sms.list(SmsFilter.all().statuses(SmsStatus.FAILED, SmsStatus.UNDELIVERED).to("07700 900123"),
 *         PageRequest.first(50));
 * }</pre>
 */
public final class SmsFilter {

    private static final SmsFilter ALL = new SmsFilter(EnumSet.allOf(SmsStatus.class), null, null, null, null);

    private final Set<SmsStatus> statuses;
    private final Instant from;
    private final Instant until;
    private final String to;
    private final String sender;

    private SmsFilter(Set<SmsStatus> statuses, Instant from, Instant until, String to, String sender) {
        this.statuses = Set.copyOf(statuses);
        this.from = from;
        this.until = until;
        this.to = to;
        this.sender = sender;
    }

    /** Every message. */
    public static SmsFilter all() {
        return ALL;
    }

    /** This filter, keeping only messages in one of {@code statuses}. */
    public SmsFilter statuses(SmsStatus first, SmsStatus... more) {
        return new SmsFilter(EnumSet.of(first, more), from, until, to, sender);
    }

    /**
     * This filter, keeping only messages queued at or after {@code from} and before {@code to}.
     *
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public SmsFilter createdBetween(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, was " + from + " and " + to);
        }
        return new SmsFilter(statuses, from, to, this.to, sender);
    }

    /**
     * This filter, keeping only messages to {@code number}.
     *
     * @throws IllegalArgumentException when {@code number} is blank
     */
    public SmsFilter to(String number) {
        return new SmsFilter(statuses, from, until, text("to", number), sender);
    }

    /**
     * This filter, keeping only messages from {@code sender}: a number, or an alphanumeric sender id.
     *
     * @throws IllegalArgumentException when {@code sender} is blank
     */
    public SmsFilter from(String sender) {
        return new SmsFilter(statuses, from, until, to, text("from", sender));
    }

    /** The statuses kept. */
    public Set<SmsStatus> statuses() {
        return statuses;
    }

    /** The earliest queue time kept, if bounded. */
    public Optional<Instant> createdFrom() {
        return Optional.ofNullable(from);
    }

    /** The queue time before which messages are kept, if bounded. */
    public Optional<Instant> createdTo() {
        return Optional.ofNullable(until);
    }

    /** The recipient kept, as given, if one is. */
    public Optional<String> to() {
        return Optional.ofNullable(to);
    }

    /** The sender kept, as given, if one is. */
    public Optional<String> from() {
        return Optional.ofNullable(sender);
    }

    private static String text(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
