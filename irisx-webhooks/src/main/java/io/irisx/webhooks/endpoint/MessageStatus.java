package io.irisx.webhooks.endpoint;

/** Where a webhook message stands. */
public enum MessageStatus {
    /** Waiting for its first or next delivery attempt. */
    PENDING,
    /** An attempt was answered with a 2xx status. */
    SUCCEEDED,
    /** Failed for good before its retries ran out (the delivery engine judged another attempt useless). */
    FAILED,
    /** Every attempt of the retry schedule failed. */
    EXHAUSTED
}
