package io.irisx.voice;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a tenant's SMS and MMS messages a listing ({@link SmsClient#list(CallFilter, io.irisx.core.PageRequest)})
 * returns: by status, by recipient, by sender and by when they were queued; immutable.
 *
 * <p>The recipient and sender are kept as given: the client reads them as it reads a message's numbers (E.164, or a
 * national number in its default region; a sender may also be an alphanumeric id) when it lists.
 *
 * <pre>{@code
 * Page<Sms> failed = sms.list(CallFilter.all().statuses(CallStatus.FAILED, CallStatus.UNDELIVERED).to("07700 900123"),
 *         PageRequest.first(50));
 * }</pre>
 */
public final class CallFilter {

    private static final CallFilter ALL = new CallFilter(EnumSet.allOf(CallStatus.class), null, null, null, null);

    private final Set<CallStatus> statuses;
    private final Instant from;
    private final Instant until;
    private final String to;
    private final String sender;

    private CallFilter(Set<CallStatus> statuses, Instant from, Instant until, String to, String sender) {
        this.statuses = Set.copyOf(statuses);
        this.from = from;
        this.until = until;
        this.to = to;
        this.sender = sender;
    }

    /** Every call. */
    public static CallFilter all() {
        return ALL;
    }

    /** This filter, keeping only calls in one of {@code statuses}. */
    public CallFilter statuses(CallStatus first, CallStatus... more) {
        return new CallFilter(EnumSet.of(first, more), from, until, to, sender);
    }

    /**
     * This filter, keeping only calls queued at or after {@code from} and before {@code to}.
     *
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public CallFilter createdBetween(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, was " + from + " and " + to);
        }
        return new CallFilter(statuses, from, to, this.to, sender);
    }

    /**
     * This filter, keeping only calls to {@code number}.
     *
     * @throws IllegalArgumentException when {@code number} is blank
     */
    public CallFilter to(String number) {
        return new CallFilter(statuses, from, until, text("to", number), sender);
    }

    /**
     * This filter, keeping only calls from {@code number}.
     *
     * @throws IllegalArgumentException when {@code number} is blank
     */
    public CallFilter from(String number) {
        return new CallFilter(statuses, from, until, to, text("from", number));
    }

    /** The statuses kept. */
    public Set<CallStatus> statuses() {
        return statuses;
    }

    /** The earliest queue time kept, if bounded. */
    public Optional<Instant> createdFrom() {
        return Optional.ofNullable(from);
    }

    /** The queue time before which calls are kept, if bounded. */
    public Optional<Instant> createdTo() {
        return Optional.ofNullable(until);
    }

    /** The number called kept, as given, if one is. */
    public Optional<String> to() {
        return Optional.ofNullable(to);
    }

    /** The caller's number kept, as given, if one is. */
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
