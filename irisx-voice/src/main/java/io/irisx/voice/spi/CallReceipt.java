package io.irisx.voice.spi;

import io.irisx.voice.CallStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's answer about a call: the id it gave the call, by which its status callbacks refer to it, the status
 * it reported in its own words, and the IRISX status that word means; immutable.
 *
 * @param providerCallId the provider's id for the call (Twilio's call SID, {@code CA…})
 * @param providerStatus the status the provider reported, in its own words ({@code queued})
 * @param status the IRISX status {@code providerStatus} means, when it means one
 */
public record CallReceipt(String providerCallId, String providerStatus, Optional<CallStatus> status) {

    /** Checks that the id is present. */
    public CallReceipt {
        Objects.requireNonNull(providerCallId, "providerCallId");
        Objects.requireNonNull(providerStatus, "providerStatus");
        Objects.requireNonNull(status, "status");
        if (providerCallId.isBlank()) {
            throw new IllegalArgumentException("providerCallId must not be blank");
        }
    }
}
