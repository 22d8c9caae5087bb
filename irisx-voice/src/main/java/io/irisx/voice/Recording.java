package io.irisx.voice;

import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.core.id.RecordingId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A recording of a call, as its provider last reported it; immutable. The audio stays with the provider, at
 * {@link #url()}: IRISX keeps where it is, not the audio.
 *
 * @param id IRISX's id for it
 * @param tenant the tenant whose call was recorded
 * @param callId the call recorded
 * @param provider the provider that made it, as in the call's {@link Call#provider()}
 * @param providerRecordingId the provider's id for it (Twilio's {@code RE…} SID)
 * @param url where the provider keeps the audio
 * @param duration how long it is, once the provider knows
 * @param channels 1 (mono) or 2 (dual: each party on a channel of its own)
 * @param status the provider's status word: {@code in-progress}, {@code completed}, {@code absent} or {@code failed}
 * @param createdAt when the first report of it arrived
 * @param updatedAt when the last report that changed it arrived
 */
public record Recording(RecordingId id, TenantId tenant, CallId callId, String provider, String providerRecordingId,
        String url, Optional<Duration> duration, int channels, String status, Instant createdAt, Instant updatedAt) {

    /** Checks that no field is null. */
    public Recording {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerRecordingId, "providerRecordingId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Whether the provider finished it: its audio is ready at {@link #url()}. */
    public boolean completed() {
        return RecordingReport.COMPLETED.equals(status);
    }
}
