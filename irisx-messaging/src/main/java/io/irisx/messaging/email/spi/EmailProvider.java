package io.irisx.messaging.email.spi;

import io.irisx.core.ProviderException;

/**
 * An email provider (Elastic Email, SendGrid, an SMTP server, …) as IRISX's email workers call it. Implementations
 * are thread-safe, built once with their credentials, and registered explicitly on the
 * {@link io.irisx.messaging.email.EmailModule}; every implementation passes the provider contract kit
 * ({@code EmailProviderContractKit}, in irisx-testkit) against a local server speaking its wire format.
 */
public interface EmailProvider extends AutoCloseable {

    /** The provider's name in failover chains, statuses and errors: lower case, e.g. {@code sendgrid}. */
    String name();

    /**
     * Sends one email and returns the provider's acceptance.
     *
     * @throws ProviderException for every refusal or failure, naming the provider, its status code (0 when it did
     *     not answer), its request id when it gave one, its own error text, and whether a retry can help: rate
     *     limits, server errors, timeouts and dropped connections can; bad requests, refused senders and failed
     *     authentication cannot
     */
    EmailReceipt send(OutgoingEmail email);

    /**
     * Whether the provider honours {@link OutgoingEmail#idempotencyKey()}, so that sending the same email again
     * after an unknown outcome (a crash after the provider accepted it) cannot deliver it twice. Default false.
     */
    default boolean acceptsIdempotencyKey() {
        return false;
    }

    /** Releases the provider's connections. Default: nothing to release. */
    @Override
    default void close() {
    }
}
