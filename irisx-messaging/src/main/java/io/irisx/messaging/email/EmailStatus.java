package io.irisx.messaging.email;

import io.irisx.core.event.EventType;

/**
 * Where an email stands. It moves forward only: QUEUED, then SENT (a provider accepted it) or FAILED, then what the
 * provider reports — DEFERRED, then DELIVERED or BOUNCED, and COMPLAINED after delivery. A report that arrives late
 * (a deferral after the delivery) is stored in the history but does not move the status back.
 */
public enum EmailStatus {
    /** Stored and queued; no provider has accepted it yet. */
    QUEUED(0, EventType.EMAIL_QUEUED),
    /** A provider accepted it. */
    SENT(1, EventType.EMAIL_SENT),
    /** The receiving server delayed it; the provider keeps trying. */
    DEFERRED(2, EventType.EMAIL_DEFERRED),
    /** The receiving server accepted it. */
    DELIVERED(3, EventType.EMAIL_DELIVERED),
    /** The receiving server refused it. */
    BOUNCED(3, EventType.EMAIL_BOUNCED),
    /** It could not be sent: every provider refused it, or the tries ran out. */
    FAILED(3, EventType.EMAIL_FAILED),
    /** The recipient marked it as spam. */
    COMPLAINED(4, EventType.EMAIL_COMPLAINED);

    private final int rank;
    private final EventType event;

    EmailStatus(int rank, EventType event) {
        this.rank = rank;
        this.event = event;
    }

    /** The event emitted when an email reaches this status. */
    public EventType event() {
        return event;
    }

    /** Whether an email in this status may move to {@code next}: only forward. */
    public boolean canMoveTo(EmailStatus next) {
        return next.rank > rank;
    }
}
