package io.irisx.voice;

import io.irisx.core.event.EventType;

/**
 * Where a call stands. It moves forward only, and reaches each status at most once: QUEUED (stored, not yet placed),
 * INITIATED (placed with the provider), RINGING, IN_PROGRESS (answered), then one final status — COMPLETED, BUSY,
 * NO_ANSWER, FAILED or CANCELED. A status may be skipped (a call that is never answered goes from RINGING to
 * NO_ANSWER; a report lost on its way is not waited for), and a report that arrives after a later one is ignored.
 */
public enum CallStatus {
    /** Stored and queued; no provider has placed it yet. */
    QUEUED(0, EventType.CALL_QUEUED),
    /** A provider accepted it and is placing it. */
    INITIATED(1, EventType.CALL_INITIATED),
    /** The called phone is ringing. */
    RINGING(2, EventType.CALL_RINGING),
    /** The call was answered and is going on. */
    IN_PROGRESS(3, EventType.CALL_ANSWERED),
    /** The call ended after being answered. */
    COMPLETED(4, EventType.CALL_COMPLETED),
    /** The called party was busy. */
    BUSY(4, EventType.CALL_BUSY),
    /** The call rang out without an answer. */
    NO_ANSWER(4, EventType.CALL_NO_ANSWER),
    /** The call could not be placed or connected. */
    FAILED(4, EventType.CALL_FAILED),
    /** The call was hung up before it was answered, or before it was placed. */
    CANCELED(4, EventType.CALL_CANCELED);

    private final int rank;
    private final EventType event;

    CallStatus(int rank, EventType event) {
        this.rank = rank;
        this.event = event;
    }

    /** The event emitted when a call reaches this status. */
    public EventType event() {
        return event;
    }

    /** Whether the call is over: no status follows this one. */
    public boolean isFinal() {
        return rank == 4;
    }

    /** Whether a call in this status may move to {@code next}: only forward, and never from one end to another. */
    public boolean canMoveTo(CallStatus next) {
        return next.rank > rank;
    }
}
