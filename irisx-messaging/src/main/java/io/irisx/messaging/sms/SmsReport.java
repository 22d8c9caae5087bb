package io.irisx.messaging.sms;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's report about a message it accepted, normalised from its status callback; immutable.
 * {@link SmsStore#record(io.irisx.core.TenantId, SmsReport)} applies it to the message the provider's id names.
 *
 * @param provider the provider's name, as in the message's {@link Sms#provider()}
 * @param providerMessageId the provider's id for the message
 * @param status the IRISX status the report means
 * @param providerStatus the provider's own status word ({@code delivered})
 * @param errorCode the provider's error code, if it gave one
 * @param occurredAt when the report arrived
 */
public record SmsReport(String provider, String providerMessageId, SmsStatus status, String providerStatus,
        Optional<String> errorCode, Instant occurredAt) {

    /** Checks every field; a provider never reports QUEUED, which only IRISX sets. */
    public SmsReport {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(providerStatus, "providerStatus");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (status == SmsStatus.QUEUED) {
            throw new IllegalArgumentException("status must be one a provider reports, was " + status);
        }
    }
}
