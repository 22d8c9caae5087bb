package io.irisx.voice;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a tenant's calls a listing ({@link Voice#list(CallFilter, io.irisx.core.PageRequest)}) returns: by status,
 * by the number called, by the caller's number and by when they were queued; immutable.
 *
 * <p>The numbers are kept as given: {@link Voice} reads them as it reads a call's numbers (E.164, or a national
 * number in the module's default region) when it lists.
 *
 * <pre>{@code
 * Page<Call> unanswered = voice.list(CallFilter.all().statuses(CallStatus.BUSY, CallStatus.NO_ANSWER)
 *         .to("+447400123456"), PageRequest.first(50));
 * }</pre>
 */
public final class CallFilter {

    private static final CallFilter ALL = new CallFilter(EnumSet.allOf(CallStatus.class), null, null, null, null);

    private final Set<CallStatus> statuses;
    private final Instant from;
    private final Instant until;
    private final String to;
    private final String caller;

    private CallFilter(Set<CallStatus> statuses, Instant from, Instant until, String to, String caller) {
        this.statuses = Set.copyOf(statuses);
        this.from = from;
        this.until = until;
        this.to = to;
        this.caller = caller;
    }

    /** Every call. */
    public static CallFilter all() {
        return ALL;
    }

    /** This filter, keeping only calls in one of {@code statuses}. */
    public CallFilter statuses(CallStatus first, CallStatus... more) {
        return new CallFilter(EnumSet.of(first, more), from, until, to, caller);
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
        return new CallFilter(statuses, from, to, this.to, caller);
    }

    /**
     * This filter, keeping only calls to {@code number}.
     *
     * @throws IllegalArgumentException when {@code number} is blank
     */
    public CallFilter to(String number) {
        return new CallFilter(statuses, from, until, text("to", number), caller);
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
        return Optional.ofNullable(caller);
    }

    private static String text(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
