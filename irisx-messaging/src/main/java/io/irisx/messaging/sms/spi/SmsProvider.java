package io.irisx.messaging.sms.spi;

import io.irisx.core.ProviderException;

/**
 * An SMS/MMS provider (Twilio, …) as IRISX's SMS workers call it. Implementations are thread-safe, built once with
 * their credentials, and registered explicitly on the SMS sender; every implementation passes the provider contract
 * kit ({@code SmsProviderContractKit}, in irisx-testkit) against a local server speaking its wire format.
 */
public interface SmsProvider extends AutoCloseable {

    /** The provider's name in statuses and errors: lower case, e.g. {@code twilio}. */
    String name();

    /**
     * Sends one message and returns the provider's acceptance.
     *
     * @throws ProviderException for every refusal or failure, naming the provider, its status code (0 when it did
     *     not answer), its request id when it gave one, its own error text (with its error code), and whether a
     *     retry can help: rate limits, server errors, timeouts and dropped connections can; an invalid or blocked
     *     number, an unverified sender and failed authentication cannot
     */
    SmsReceipt send(OutgoingSms sms);

    /** Releases the provider's connections. Default: nothing to release. */
    @Override
    default void close() {
    }
}
