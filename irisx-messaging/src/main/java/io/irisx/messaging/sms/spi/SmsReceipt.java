package io.irisx.messaging.sms.spi;

import java.util.Objects;

/**
 * A provider's acceptance of an SMS: the id it gave the message, by which its status callbacks refer to it, and the
 * status it reported; immutable.
 *
 * @param providerMessageId the provider's id for the message (Twilio's message SID)
 * @param providerStatus the status the provider reported on acceptance, in its own words ({@code queued})
 */
public record SmsReceipt(String providerMessageId, String providerStatus) {

    /** Checks that the id is present. */
    public SmsReceipt {
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(providerStatus, "providerStatus");
        if (providerMessageId.isBlank()) {
            throw new IllegalArgumentException("providerMessageId must not be blank");
        }
    }
}
