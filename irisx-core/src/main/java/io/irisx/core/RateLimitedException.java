package io.irisx.core;

import java.time.Duration;
import java.util.Objects;

/** A rate limit refused the request; it may be tried again after {@link #retryAfter()}. */
public class RateLimitedException extends IrisxException {

    private final Duration retryAfter;

    /**
     * @param limit what was limited, e.g. {@code "tenant acme: 10 sms/s"}
     * @param retryAfter how long to wait before the request can succeed
     */
    public RateLimitedException(String limit, Duration retryAfter) {
        super("rate limited (" + Objects.requireNonNull(limit, "limit") + "); retry after "
                + Objects.requireNonNull(retryAfter, "retryAfter").toMillis() + " ms");
        this.retryAfter = retryAfter;
    }

    /** How long to wait before the same request can succeed. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
