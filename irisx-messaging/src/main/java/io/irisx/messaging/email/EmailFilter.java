package io.irisx.messaging.email;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Which of a tenant's emails a listing returns: by status and by when they were queued; immutable. */
public final class EmailFilter {

    private static final EmailFilter ALL = new EmailFilter(EnumSet.allOf(EmailStatus.class), null, null);

    private final Set<EmailStatus> statuses;
    private final Instant from;
    private final Instant to;

    private EmailFilter(Set<EmailStatus> statuses, Instant from, Instant to) {
        this.statuses = Set.copyOf(statuses);
        this.from = from;
        this.to = to;
    }

    /** Every email. */
    public static EmailFilter all() {
        return ALL;
    }

    /** This filter, keeping only emails in one of {@code statuses}. */
    public EmailFilter statuses(EmailStatus first, EmailStatus... more) {
        return new EmailFilter(EnumSet.of(first, more), from, to);
    }

    /** This filter, keeping only emails queued at or after {@code from} and before {@code to}. */
    public EmailFilter createdBetween(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to, was " + from + " and " + to);
        }
        return new EmailFilter(statuses, from, to);
    }

    /** The statuses kept. */
    public Set<EmailStatus> statuses() {
        return statuses;
    }

    /** The earliest queue time kept, if bounded. */
    public Optional<Instant> createdFrom() {
        return Optional.ofNullable(from);
    }

    /** The queue time before which emails are kept, if bounded. */
    public Optional<Instant> createdTo() {
        return Optional.ofNullable(to);
    }
}
