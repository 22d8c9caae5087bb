package io.irisx.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A provider (Twilio, SendGrid, an SMTP server, …) refused or failed a request. It carries the provider's name, the
 * HTTP or protocol status it answered with, its request id when it gave one, and whether a retry can help.
 */
public class ProviderException extends IrisxException {

    private final String provider;
    private final int statusCode;
    private final String requestId;
    private final boolean retryable;

    /**
     * @param provider the provider's name, e.g. {@code "sendgrid"}
     * @param statusCode the status it answered with, or 0 when it did not answer (timeout, connection reset)
     * @param requestId the provider's request id, or {@code null} when it gave none
     * @param retryable whether the same request may succeed later
     * @param message the provider's own error text
     */
    public ProviderException(String provider, int statusCode, String requestId, boolean retryable, String message) {
        this(provider, statusCode, requestId, retryable, message, null);
    }

    /** As {@link #ProviderException(String, int, String, boolean, String)}, with the underlying cause. */
    public ProviderException(String provider, int statusCode, String requestId, boolean retryable, String message,
            Throwable cause) {
        super(provider + " " + (statusCode == 0 ? "(no response)" : String.valueOf(statusCode))
                + (retryable ? " [retryable]: " : " [permanent]: ") + message, cause);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.retryable = retryable;
    }

    /** The provider's name. */
    public String provider() {
        return provider;
    }

    /** The status the provider answered with, or 0 when it did not answer. */
    public int statusCode() {
        return statusCode;
    }

    /** The provider's request id, when it gave one. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Whether the same request may succeed later (rate limit, server error, timeout). */
    public boolean isRetryable() {
        return retryable;
    }
}
