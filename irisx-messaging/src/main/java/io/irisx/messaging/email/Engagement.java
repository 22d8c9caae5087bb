package io.irisx.messaging.email;

import java.time.Instant;
import java.util.Objects;

/**
 * The opens, or the clicks of one link, of one recipient of a tracked email, counted by {@link EmailLinks}; immutable.
 * Only the first of each (recipient, kind, link, machine or not) is a history entry and an event; the later ones are
 * counted here. Read with {@link EmailClient#engagements}.
 *
 * @param kind an open or a click
 * @param recipient the recipient, in lower case
 * @param linkIndex the link's position in the HTML body (0 for the first link tracked), for a click; -1 for an open
 * @param link the link, for a click; empty for an open
 * @param machine whether a known prefetching proxy made the requests rather than the recipient (see
 *     {@link EmailLinks}): such opens are not the recipient's, and are counted apart
 * @param firstAt when the first came
 * @param lastAt when the last came
 * @param count how many came
 */
public record Engagement(Kind kind, String recipient, int linkIndex, String link, boolean machine, Instant firstAt,
        Instant lastAt, long count) {

    /** What the recipient did. */
    public enum Kind {
        /** Opened the email: its tracking pixel was fetched. */
        OPEN,
        /** Clicked a link of it. */
        CLICK
    }

    /** Checks that nothing is missing. */
    public Engagement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(firstAt, "firstAt");
        Objects.requireNonNull(lastAt, "lastAt");
    }
}
