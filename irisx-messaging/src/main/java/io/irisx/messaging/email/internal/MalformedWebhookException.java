package io.irisx.messaging.email.internal;

/**
 * A provider's webhook request whose body or parameters do not hold what the handler needs; its message says which
 * field and why, never the body. Not API.
 */
public final class MalformedWebhookException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A request that does not hold what {@code message} says it lacks. */
    public MalformedWebhookException(String message) {
        super(message);
    }
}
