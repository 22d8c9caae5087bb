package io.irisx.voice;

import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An outbound call as IRISX stored it, with where it stands; immutable.
 *
 * @param id its call id
 * @param tenant whose it is
 * @param idempotencyKey the caller's key, else the call id
 * @param status where it stands
 * @param to the called number, E.164
 * @param from the caller id, E.164
 * @param flow the flow it runs, when it runs one of the module's flows
 * @param url the URL of the host's own instructions, when it runs no flow
 * @param recording whether and how it is recorded
 * @param machineDetection whether the provider listens for an answering machine
 * @param ringTimeout how long it rings before it is given up
 * @param timeLimit the longest it may last once answered
 * @param statusCallback the URL the provider reports its statuses to, when not the provider's default
 * @param attempts tries that ended with an answer from a provider, or with none from every provider
 * @param provider the provider that placed it, once one has (or that it is held for, after a try whose outcome is
 *     unknown)
 * @param providerCallId that provider's id for it (Twilio's call SID, {@code CA…})
 * @param providerStatus the provider's own latest status ({@code queued}, {@code ringing}, …)
 * @param answeredBy what answering-machine detection found ({@code human}, {@code machine_start}, …), if it ran
 * @param duration how long it lasted once answered, as the provider reported when it ended
 * @param errorCode the provider's error code, if it reported one
 * @param possibleDuplicate whether it was placed again after a try with an unknown outcome, so that the called party
 *     may have been called twice
 * @param lastError the last failure, if any
 * @param createdAt when it was queued
 * @param updatedAt when it last changed
 * @param placedAt when a provider placed it
 * @param endedAt when it reached its final status
 * @param test whether it was placed in test mode ({@link io.irisx.core.Tenant#isTest()}): only through the module's
 *     test providers or its built-in sandbox, never a live provider; never metered, and holding no prepaid credit
 */
public record Call(CallId id, TenantId tenant, String idempotencyKey, CallStatus status, String to, String from,
        Optional<String> flow, Optional<String> url, RecordingMode recording, MachineDetection machineDetection,
        Duration ringTimeout, Duration timeLimit, Optional<String> statusCallback, int attempts,
        Optional<String> provider, Optional<String> providerCallId, Optional<String> providerStatus,
        Optional<String> answeredBy, Optional<Duration> duration, Optional<String> errorCode,
        boolean possibleDuplicate, Optional<String> lastError, Instant createdAt, Instant updatedAt,
        Optional<Instant> placedAt, Optional<Instant> endedAt, boolean test) {

    @Override
    public String toString() {
        // Numbers are personal data: never logged.
        return "Call[" + id + " tenant=" + tenant + " " + status + provider.map(p -> " via " + p).orElse("")
                + (test ? ", test" : "") + "]";
    }
}
