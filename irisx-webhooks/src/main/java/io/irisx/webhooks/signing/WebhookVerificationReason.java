package io.irisx.webhooks.signing;

/**
 * Which check of a Standard Webhooks request failed; an enum, thread-safe. Checks run in this order, and the first
 * that fails is the reason.
 */
public enum WebhookVerificationReason {
    /** {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} is absent or empty. */
    MISSING_HEADER,
    /** {@code webhook-timestamp} is not unix seconds written as a plain decimal integer. */
    BAD_TIMESTAMP,
    /** The timestamp is further in the past than the tolerance allows: maybe a replay. */
    TOO_OLD,
    /** The timestamp is further in the future than the tolerance allows. */
    TOO_NEW,
    /** No signature in {@code webhook-signature} matches the content under any configured key. */
    NO_MATCHING_SIGNATURE
}
