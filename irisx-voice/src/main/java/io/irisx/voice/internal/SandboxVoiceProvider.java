package io.irisx.voice.internal;

import io.irisx.voice.CallStatus;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.spi.VoiceProvider;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in test provider of the voice module, for test-mode calls when no test provider is registered: it makes
 * no network call and rings no one, accepts every call with the id {@code sandbox-<call id>} and the provider status
 * {@code queued}, and answers a hang-up with {@code completed} and a redirect with {@code in-progress}. The voice worker
 * then reports the call ringing, in progress and completed with a duration of 0 seconds; the call's flow is not run.
 * Thread-safe, stateless. Not API.
 */
public final class SandboxVoiceProvider implements VoiceProvider {

    /** Its name in calls, statuses and events. */
    public static final String NAME = "sandbox";

    private static final Logger log = LoggerFactory.getLogger(SandboxVoiceProvider.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CallReceipt place(OutgoingCall call) {
        log.debug("irisx voice: test call {} of tenant {} accepted by the sandbox; no one was called", call.id(),
                call.tenant());
        return new CallReceipt(NAME + "-" + call.id().value(), "queued", Optional.of(CallStatus.INITIATED));
    }

    @Override
    public CallReceipt hangup(ProviderCall call) {
        return new CallReceipt(call.providerCallId(), "completed", Optional.of(CallStatus.COMPLETED));
    }

    @Override
    public CallReceipt redirect(ProviderCall call, String flow) {
        return new CallReceipt(call.providerCallId(), "in-progress", Optional.of(CallStatus.IN_PROGRESS));
    }

    @Override
    public String toString() {
        return "SandboxVoiceProvider";
    }
}
