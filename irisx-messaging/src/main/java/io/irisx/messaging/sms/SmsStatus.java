package io.irisx.messaging.sms;

import io.irisx.core.event.EventType;

/**
 * Where an SMS or MMS stands. It moves forward only: QUEUED, then SENT (the provider accepted it; the provider's own
 * finer status — queued, sending, sent — is kept beside it) or FAILED, then what the carrier reports: DELIVERED,
 * UNDELIVERED or FAILED, and READ where the channel reports reads. A report that arrives late is kept in the history
 * but does not move the status back.
 */
public enum SmsStatus {
    /** Stored and queued; no provider has accepted it yet. */
    QUEUED(0, EventType.SMS_QUEUED),
    /** The provider accepted it and is sending it to the carrier. */
    SENT(1, EventType.SMS_SENT),
    /** The carrier delivered it to the handset. */
    DELIVERED(2, EventType.SMS_DELIVERED),
    /** The carrier could not deliver it. */
    UNDELIVERED(2, EventType.SMS_UNDELIVERED),
    /** It failed before reaching the carrier, or no provider accepted it. */
    FAILED(2, EventType.SMS_FAILED),
    /** The recipient read it. */
    READ(3, EventType.SMS_READ);

    private final int rank;
    private final EventType event;

    SmsStatus(int rank, EventType event) {
        this.rank = rank;
        this.event = event;
    }

    /** The event emitted when a message reaches this status. */
    public EventType event() {
        return event;
    }

    /** Whether a message in this status may move to {@code next}: only forward. */
    public boolean canMoveTo(SmsStatus next) {
        return next.rank > rank;
    }
}
