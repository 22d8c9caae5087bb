package io.irisx.messaging.email.spi;

import java.util.Objects;

/**
 * A provider's acceptance of an email: the id it gave the email, by which its later events (delivered, bounced, …)
 * refer to it; immutable.
 *
 * @param providerMessageId the provider's id for the email
 */
public record EmailReceipt(String providerMessageId) {

    /** Checks that the id is present. */
    public EmailReceipt {
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        if (providerMessageId.isBlank()) {
            throw new IllegalArgumentException("providerMessageId must not be blank");
        }
    }
}
