package io.irisx.voice;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A provider's report about a recording of a call it placed, normalised from its recording status callback;
 * immutable. {@link Voice#record(RecordingReport)} stores it for the tenant's call the provider's call id names.
 *
 * @param provider the provider's name, as in the call's {@link Call#provider()}
 * @param providerCallId the provider's id for the call recorded
 * @param providerRecordingId the provider's id for the recording
 * @param url where the provider keeps the audio: an https URL of at most 2048 characters
 * @param duration how long the recording is, when the provider says
 * @param channels 1 or 2
 * @param status {@code in-progress}, {@code completed}, {@code absent} or {@code failed}
 * @param occurredAt when the report arrived
 */
public record RecordingReport(String provider, String providerCallId, String providerRecordingId, String url,
        Optional<Duration> duration, int channels, String status, Instant occurredAt) {

    /** The status of a recording whose audio is ready. */
    public static final String COMPLETED = "completed";
    /** The statuses a recording may have. */
    public static final Set<String> STATUSES = Set.of("in-progress", COMPLETED, "absent", "failed");

    /**
     * Checks every field against the column it is stored in.
     *
     * @throws IllegalArgumentException naming the field that does not fit: a provider or id not of 1-64 characters
     *     without control characters, a URL that is not https or longer than 2048 characters, a duration not from 0
     *     to 24 hours, channels other than 1 or 2, a status not one of {@link #STATUSES}
     */
    public RecordingReport {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerCallId, "providerCallId");
        Objects.requireNonNull(providerRecordingId, "providerRecordingId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
        checkLength("provider", provider);
        checkLength("providerCallId", providerCallId);
        checkLength("providerRecordingId", providerRecordingId);
        if (!url.startsWith("https://") || url.length() > 2048 || url.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("url must be an https URL of at most 2048 characters, was a value of "
                    + url.length() + " characters");
        }
        duration.ifPresent(d -> {
            if (d.isNegative() || d.compareTo(CallRequest.MAX_TIME_LIMIT) > 0) {
                throw new IllegalArgumentException("duration must be from 0 to 24 hours, was " + d);
            }
        });
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("channels must be 1 or 2, was " + channels);
        }
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES + ", was '"
                    + (status.length() > 40 ? status.substring(0, 40) + "…" : status) + "'");
        }
    }

    private static void checkLength(String field, String value) {
        if (value.isEmpty() || value.length() > 64 || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must be 1-64 characters with no control characters, was '"
                    + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
    }
}
