package io.irisx.core;

/**
 * The channels through which IRISX moves work: each has its own queue (an outbox channel, a JetStream stream) and
 * its own workers, so a slow channel never holds back another.
 */
public enum Channel {
    /** SMS and MMS sends and status updates. */
    SMS,
    /** Email sends and status updates. */
    EMAIL,
    /** Deliveries of signed webhooks to the host's customers' endpoints. */
    WEBHOOKS,
    /** Outbound calls and call status updates. */
    VOICE
}
