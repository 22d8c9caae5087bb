package io.irisx.messaging.sms;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's report about a message it accepted, normalised from its status callback; immutable.
 * {@link SmsClient#record(SmsReport)} applies it to the tenant's message the provider's id names.
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

    /**
     * Checks every field against the column it is stored in (provider and its id 1-64 characters, provider status
     * 1-32, error code 1-16, none with control characters); a provider never reports QUEUED, which only IRISX sets.
     */
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
        // The lengths of the columns they are stored in.
        checkLength("provider", provider, 64);
        checkLength("providerMessageId", providerMessageId, 64);
        checkLength("providerStatus", providerStatus, 32);
        errorCode.ifPresent(code -> checkLength("errorCode", code, 16));
    }

    private static void checkLength(String field, String value, int max) {
        if (value.isEmpty() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must be 1-" + max + " characters with no control characters,"
                    + " was '" + (value.length() > 40 ? value.substring(0, 40) + "…' (" + value.length() + " characters)"
                    : value + "'"));
        }
    }
}
