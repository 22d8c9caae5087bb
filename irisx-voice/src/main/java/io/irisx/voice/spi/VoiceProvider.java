package io.irisx.voice.spi;

import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.voice.Voice;
import java.util.function.Function;

/**
 * A voice provider (Twilio, …) as IRISX's voice worker and clients call it. Implementations are thread-safe, built
 * once with their credentials, and registered explicitly on the {@link io.irisx.voice.VoiceModule}.
 *
 * <p>Every method throws {@link ProviderException} for every refusal or failure, naming the provider, its status code
 * (0 when it did not answer), its request id when it gave one, its own error text (with its error code), and whether
 * a retry can help: rate limits, server errors, timeouts and dropped connections can; an invalid or blocked number,
 * an unverified caller id and failed authentication cannot.
 */
public interface VoiceProvider extends AutoCloseable {

    /** The provider's name in statuses and errors: lower case, e.g. {@code twilio}. */
    String name();

    /**
     * Places one call and returns the provider's acceptance: the call is then the provider's to ring, and its
     * statuses come in the provider's callbacks.
     *
     * @throws ProviderException when the provider refuses the call or cannot be reached
     */
    CallReceipt place(OutgoingCall call);

    /**
     * Ends a call this provider placed, whether it is still ringing or answered.
     *
     * @throws ProviderException when the provider refuses (e.g. the call ended already) or cannot be reached
     */
    CallReceipt hangup(ProviderCall call);

    /**
     * Makes a call this provider placed run flow {@code flow} from its first step, leaving what it was doing.
     *
     * @throws ProviderException when the provider refuses (e.g. the call ended already) or cannot be reached
     */
    CallReceipt redirect(ProviderCall call, String flow);

    /**
     * Called once by the {@link io.irisx.voice.VoiceModule} it is registered on, when the runtime is built, with each
     * tenant's calls: a provider that learns of its calls' statuses and recordings over a connection of its own
     * (FreeSWITCH's Event Socket) rather than through callbacks the host mounts reports them with
     * {@link Voice#record(io.irisx.voice.CallReport)} and reads the flows its calls run with {@link Voice#flow}.
     * Default: nothing, for providers whose callbacks the host mounts (Twilio).
     *
     * @param voices each tenant's calls
     */
    default void start(Function<TenantId, Voice> voices) {
    }

    /** Releases the provider's connections. Default: nothing to release. */
    @Override
    default void close() {
    }
}
