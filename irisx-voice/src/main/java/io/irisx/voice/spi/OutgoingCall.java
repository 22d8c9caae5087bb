package io.irisx.voice.spi;

import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.voice.MachineDetection;
import io.irisx.voice.RecordingMode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A call as a provider is asked to place it, its numbers normalised and checked; immutable.
 *
 * @param id IRISX's id for the call
 * @param tenant whose call it is
 * @param idempotencyKey the caller's key, else the call id: a provider that takes an idempotency key is given it
 * @param to the number to call, E.164
 * @param from the caller id, E.164
 * @param flow the flow the call runs once answered, or empty when it runs {@code url}
 * @param url the URL of the host's own instructions, or empty when it runs {@code flow}
 * @param recording whether and how the call is recorded
 * @param machineDetection whether to listen for an answering machine
 * @param ringTimeout how long the call rings before it is given up
 * @param timeLimit the longest the call may last once answered
 * @param statusCallback the URL to report this call's statuses to, or empty for the provider's default
 */
public record OutgoingCall(CallId id, TenantId tenant, String idempotencyKey, String to, String from,
        Optional<String> flow, Optional<String> url, RecordingMode recording, MachineDetection machineDetection,
        Duration ringTimeout, Duration timeLimit, Optional<String> statusCallback) {

    /** Checks that every field is present, and that exactly one of a flow and a URL is. */
    public OutgoingCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(machineDetection, "machineDetection");
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        Objects.requireNonNull(timeLimit, "timeLimit");
        Objects.requireNonNull(statusCallback, "statusCallback");
        if (flow.isPresent() == url.isPresent()) {
            throw new IllegalArgumentException("a call runs a flow or a URL, exactly one; had flow " + flow
                    + " and " + (url.isPresent() ? "a" : "no") + " URL");
        }
    }

    @Override
    public String toString() {
        // Numbers are personal data: never logged.
        return "OutgoingCall[" + id + " tenant=" + tenant + "]";
    }
}
