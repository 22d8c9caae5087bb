package io.irisx.messaging.email;

import java.time.Instant;
import java.util.Objects;

/**
 * The numbers a sender must watch for one of a tenant's sending domains (the domain of the From address) over a
 * window; immutable. Emails count in the window by when a provider accepted them; reports by when they happened.
 * Each report counts once per email and recipient, however often the provider repeats it (an open read five times is
 * one open).
 *
 * <p>Rates are fractions (0.001 is 0.1 %): bounces per email sent; complaints, unsubscribes, opens and clicks per
 * email delivered — the measure mailbox providers use (Gmail and Yahoo ask bulk senders to stay under 0.1 % and never
 * reach 0.3 % complaints) — or per email sent when none was reported delivered. A rate is 0 when nothing was sent.
 *
 * @param domain the sending domain, lower case
 * @param from the window's start, inclusive
 * @param to its end, exclusive
 * @param sent emails a provider accepted
 * @param delivered deliveries reported
 * @param hardBounces hard bounces reported
 * @param softBounces soft bounces reported
 * @param complaints complaints reported
 * @param unsubscribes unsubscribes, by the email's link or through the provider
 * @param opens opens reported, machine opens (a proxy's prefetch) not included
 * @param clicks clicks reported
 */
public record SenderStats(String domain, Instant from, Instant to, long sent, long delivered, long hardBounces,
        long softBounces, long complaints, long unsubscribes, long opens, long clicks) {

    /** Checks that nothing is missing. */
    public SenderStats {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    /** Hard and soft bounces per email sent. */
    public double bounceRate() {
        return rate(hardBounces + softBounces, sent);
    }

    /** Hard bounces per email sent. */
    public double hardBounceRate() {
        return rate(hardBounces, sent);
    }

    /** Complaints per email delivered (or sent, when no delivery was reported). */
    public double complaintRate() {
        return rate(complaints, reached());
    }

    /** Unsubscribes per email delivered (or sent). */
    public double unsubscribeRate() {
        return rate(unsubscribes, reached());
    }

    /** Opens per email delivered (or sent). */
    public double openRate() {
        return rate(opens, reached());
    }

    /** Clicks per email delivered (or sent). */
    public double clickRate() {
        return rate(clicks, reached());
    }

    private long reached() {
        return delivered > 0 ? delivered : sent;
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
