package io.irisx.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.core.testing.TestDatabases;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.spi.VoiceProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link VoiceProvider} passes, run against a local server speaking the provider's wire format: a
 * provider's test extends it, builds the provider against its server, and says how that server is driven (how it
 * refuses a call for good or for now, what it was asked). The provider is registered on a queue-only
 * {@link VoiceModule} on H2, so that it is started with real tenants' calls as the module starts it; the contract
 * then calls the SPI directly.
 *
 * <p>It checks: a placing returns a receipt with the provider's call id; a refusal is a {@link ProviderException}
 * naming the provider, its status and whether a retry can help; a placed call can be hung up and redirected, and
 * the server was asked to; hanging up a call the provider does not know is refused for good; concurrent placings
 * each get a call of their own; close releases the provider, after which it places nothing.
 */
public abstract class VoiceProviderContract {

    /** The tenant whose calls the contract places. */
    protected static final TenantId ACME = TenantId.of("acme");
    /** The flow placed calls run. */
    protected static final Flow SUPPORT = Flow.builder("support").say("hello", "Hello from Acme.").hangup("bye")
            .build();
    /** The flow placed calls are redirected to. */
    protected static final Flow SURVEY = Flow.builder("survey").say("thanks", "Thanks for taking our survey.")
            .build();

    /**
     * A placing the provider refuses, and how.
     *
     * @param provider the provider that refuses it (the one under test, or one built to be refused, which the
     *     contract closes)
     * @param call the call it refuses
     * @param status the status code the refusal carries
     */
    public record Refusal(VoiceProvider provider, OutgoingCall call, int status) {
    }

    private VoiceProvider provider;
    private VoiceFixture fixture;

    /** The provider under test, against the local server, not yet started. */
    protected abstract VoiceProvider newProvider() throws Exception;

    /** Sets the local server up so that the next placing is refused for good (an invalid number, a bad password). */
    protected abstract Refusal permanentRefusal() throws Exception;

    /** Sets the local server up so that the next placing fails in a way a retry can cure (overloaded, down). */
    protected abstract Refusal retryableRefusal() throws Exception;

    /** How many placings the local server received. */
    protected abstract long placings();

    /** Whether the local server was asked to end the call it knows as {@code providerCallId}. */
    protected abstract boolean askedToHangUp(String providerCallId);

    /**
     * Brings the placed call {@code providerCallId} to where it can be redirected (a FreeSWITCH channel answered);
     * default nothing, for a provider that redirects a call in any state.
     */
    protected void answer(String providerCallId) throws Exception {
    }

    /** Whether the local server was asked to make the call {@code providerCallId} run flow {@code flow}. */
    protected abstract boolean askedToRedirect(String providerCallId, String flow);

    /** A provider call id the local server does not know. */
    protected abstract String unknownCallId();

    /** Closes the local server. */
    protected abstract void closeServer() throws Exception;

    /** Each tenant's calls, as the module gives them to its providers. */
    protected final Function<TenantId, Voice> voices() {
        return tenant -> Voice.of(fixture.irisx.tenant(tenant.value()));
    }

    /** The provider under test, started. */
    protected final VoiceProvider provider() {
        return provider;
    }

    @BeforeEach
    final void startProvider() throws Exception {
        provider = newProvider();
        fixture = new VoiceFixture(TestDatabases.h2(), VoiceModule.builder().provider(provider).flow(SUPPORT)
                .flow(SURVEY).queueOnly().build());
    }

    @AfterEach
    final void stopProvider() throws Exception {
        try {
            fixture.close();
        } finally {
            closeServer();
        }
    }

    /** A call of {@code ACME} running flow {@code support}. */
    protected static OutgoingCall call() {
        CallId id = CallId.generate();
        return new OutgoingCall(id, ACME, id.value(), "+447400123456", "+447400654321", Optional.of("support"),
                Optional.empty(), RecordingMode.NONE, MachineDetection.OFF, Duration.ofSeconds(30),
                Duration.ofMinutes(10), Optional.empty());
    }

    @Test
    void a_placing_returns_a_receipt_with_the_providers_id_for_the_call() {
        CallReceipt receipt = provider.place(call());

        assertThat(receipt.providerCallId()).isNotBlank();
        assertThat(receipt.providerStatus()).isNotBlank();
        assertThat(receipt.status()).contains(CallStatus.INITIATED);
        assertThat(placings()).isEqualTo(1);
    }

    @Test
    void a_refusal_for_good_is_a_provider_exception_that_no_retry_cures() throws Exception {
        Refusal refusal = permanentRefusal();
        try {
            ProviderException refused = catchThrowableOfType(ProviderException.class,
                    () -> refusal.provider().place(refusal.call()));

            assertThat(refused).as("the refusal").isNotNull();
            assertThat(refused.provider()).isEqualTo(provider.name());
            assertThat(refused.statusCode()).isEqualTo(refusal.status());
            assertThat(refused.isRetryable()).isFalse();
        } finally {
            closeUnlessUnderTest(refusal.provider());
        }
    }

    @Test
    void a_failure_a_retry_can_cure_is_a_retryable_provider_exception_with_its_status() throws Exception {
        Refusal refusal = retryableRefusal();
        try {
            ProviderException failed = catchThrowableOfType(ProviderException.class,
                    () -> refusal.provider().place(refusal.call()));

            assertThat(failed).as("the failure").isNotNull();
            assertThat(failed.provider()).isEqualTo(provider.name());
            assertThat(failed.statusCode()).isEqualTo(refusal.status());
            assertThat(failed.isRetryable()).isTrue();
        } finally {
            closeUnlessUnderTest(refusal.provider());
        }
    }

    @Test
    void a_placed_call_is_hung_up_at_the_provider() throws Exception {
        OutgoingCall call = call();
        String id = provider.place(call).providerCallId();

        CallReceipt receipt = provider.hangup(new ProviderCall(call.id(), ACME, id));

        assertThat(receipt.providerCallId()).isEqualTo(id);
        assertThat(receipt.status()).isNotEqualTo(Optional.of(CallStatus.QUEUED));
        assertThat(askedToHangUp(id)).as("the server was asked to end %s", id).isTrue();
    }

    @Test
    void a_placed_call_is_redirected_to_another_flow_at_the_provider() throws Exception {
        OutgoingCall call = call();
        String id = provider.place(call).providerCallId();
        answer(id);

        CallReceipt receipt = provider.redirect(new ProviderCall(call.id(), ACME, id), "survey");

        assertThat(receipt.providerCallId()).isEqualTo(id);
        assertThat(askedToRedirect(id, "survey")).as("the server was asked to run survey on %s", id).isTrue();
    }

    @Test
    void hanging_up_a_call_the_provider_does_not_know_is_refused_for_good() {
        String unknown = unknownCallId();

        ProviderException refused = catchThrowableOfType(ProviderException.class,
                () -> provider.hangup(new ProviderCall(CallId.generate(), ACME, unknown)));

        assertThat(refused).as("the refusal").isNotNull();
        assertThat(refused.provider()).isEqualTo(provider.name());
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.isRetryable()).isFalse();
    }

    @Test
    void concurrent_placings_each_get_a_call_of_their_own() throws Exception {
        int threads = 8;
        int each = 8;
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        ids.add(provider.place(call()).providerCallId());
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(ids).hasSize(threads * each);
        assertThat(placings()).isEqualTo(threads * each);
    }

    @Test
    void once_closed_the_provider_places_nothing_and_closing_again_is_harmless() {
        provider.place(call());
        provider.close();

        Throwable refused = catchThrowable(() -> provider.place(call()));

        assertThat(refused).as("a placing after close").isInstanceOfAny(ProviderException.class,
                IllegalStateException.class);
        assertThat(placings()).isEqualTo(1);
        provider.close();
    }

    private void closeUnlessUnderTest(VoiceProvider refusing) {
        if (refusing != provider) {
            refusing.close();
        }
    }
}
