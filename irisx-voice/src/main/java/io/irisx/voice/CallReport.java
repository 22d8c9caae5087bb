package io.irisx.voice;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's report about a call it placed, normalised from its status callback; immutable.
 * {@link Voice#record(CallReport)} applies it to the tenant's call the provider's id names.
 *
 * @param provider the provider's name, as in the call's {@link Call#provider()}
 * @param providerCallId the provider's id for the call
 * @param status the IRISX status the report means
 * @param providerStatus the provider's own status word ({@code ringing})
 * @param duration how long the call lasted once answered, when it ended
 * @param answeredBy what answering-machine detection found, if it ran
 * @param errorCode the provider's error code, if it gave one
 * @param occurredAt when the report arrived
 */
public record CallReport(String provider, String providerCallId, CallStatus status, String providerStatus,
        Optional<Duration> duration, Optional<String> answeredBy, Optional<String> errorCode, Instant occurredAt) {

    /**
     * Checks every field against the column it is stored in (provider and its id 1-64 characters, provider status
     * and answered-by 1-32, error code 1-16, none with control characters; a duration of 0 to 24 hours); a provider
     * never reports QUEUED, which only IRISX sets.
     *
     * @throws IllegalArgumentException naming the field that does not fit
     */
    public CallReport {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerCallId, "providerCallId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(providerStatus, "providerStatus");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(answeredBy, "answeredBy");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (status == CallStatus.QUEUED) {
            throw new IllegalArgumentException("status must be one a provider reports, was " + status);
        }
        checkLength("provider", provider, 64);
        checkLength("providerCallId", providerCallId, 64);
        checkLength("providerStatus", providerStatus, 32);
        answeredBy.ifPresent(value -> checkLength("answeredBy", value, 32));
        errorCode.ifPresent(code -> checkLength("errorCode", code, 16));
        duration.ifPresent(d -> {
            if (d.isNegative() || d.compareTo(CallRequest.MAX_TIME_LIMIT) > 0) {
                throw new IllegalArgumentException("duration must be from 0 to 24 hours, was " + d);
            }
        });
    }

    private static void checkLength(String field, String value, int max) {
        if (value.isEmpty() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must be 1-" + max + " characters with no control characters,"
                    + " was '" + (value.length() > 40 ? value.substring(0, 40) + "…' (" + value.length() + " characters)"
                    : value + "'"));
        }
    }
}
