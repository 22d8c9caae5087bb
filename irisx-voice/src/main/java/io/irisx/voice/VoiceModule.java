package io.irisx.voice;

import io.irisx.core.TenantId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import io.irisx.core.store.Jdbc;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.InvalidFlowException;
import io.irisx.voice.flow.Step;
import io.irisx.voice.internal.CallPlacer;
import io.irisx.voice.internal.SandboxVoiceProvider;
import io.irisx.voice.internal.VoiceProviders;
import io.irisx.voice.internal.VoiceStore;
import io.irisx.voice.spi.VoiceProvider;
import io.irisx.voice.tts.TextToSpeech;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The voice channel, installed into the runtime with {@code Irisx.builder().install(VoiceModule.builder()…build())}:
 * it migrates the call tables and, unless {@linkplain Builder#queueOnly() queue-only}, works the outbox's VOICE
 * channel in this process, placing each queued call through its providers (a worker the runtime stops when it
 * closes). It holds the IVR flows calls run. Each tenant's calls are reached with {@link Voice#of(io.irisx.core.Tenant)}.
 * Thread-safe once installed.
 */
public final class VoiceModule implements IrisxModule {

    private final VoiceProviders providers;
    private final VoiceProviders testProviders;
    private final Map<String, Flow> flows;
    private final String defaultRegion;
    private final boolean queueOnly;
    private final ConsumeOptions consumeOptions;
    private final TextToSpeech tts;
    private volatile Installed installed;

    private VoiceModule(Builder b) {
        this.providers = new VoiceProviders(b.providers);
        this.testProviders = new VoiceProviders(b.testProviders.isEmpty()
                ? Map.of(SandboxVoiceProvider.NAME, new SandboxVoiceProvider()) : b.testProviders);
        this.flows = Collections.unmodifiableMap(new LinkedHashMap<>(b.flows));
        this.defaultRegion = b.defaultRegion;
        this.queueOnly = b.queueOnly;
        this.consumeOptions = ConsumeOptions.builder().concurrency(b.concurrency).retryPolicy(b.retryPolicy)
                .pollInterval(b.pollInterval).build();
        this.tts = b.tts;
    }

    /** A builder; give it the providers, or make the process {@linkplain Builder#queueOnly() queue-only}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "voice";
    }

    /** Deletes the tenant's rows of this module's tables. */
    @Override
    public void deleteTenant(Connection connection, TenantId tenant) throws SQLException {
        Jdbc.deleteTenantRows(connection, tenant, "irisx_call_recordings", "irisx_call_status_history", "irisx_calls");
    }

    @Override
    public synchronized void install(ModuleContext context) {
        if (installed != null) {
            throw new IllegalStateException("this VoiceModule is installed already: build one for each runtime");
        }
        VoiceStore store = VoiceStore.create(context.database(), context.clock(), context.events(), context.prices());
        context.onClose(providers);
        context.onClose(testProviders);
        if (tts != null) {
            context.onClose(tts);
            context.addHealthCheck(tts::health);
        }
        if (!queueOnly) {
            context.onClose(CallPlacer.start(store, providers, testProviders, context.outbox(), consumeOptions,
                    context.rateLimiter()));
        }
        installed = new Installed(store, context.outbox(), context.rateLimiter());
        providers.all().forEach(provider -> provider.start(tenant -> voice(tenant, false)));
        testProviders.all().forEach(provider -> provider.start(tenant -> voice(tenant, true)));
    }

    /** {@code tenant}'s calls, a test-mode view's when {@code test}. */
    Voice voice(TenantId tenant, boolean test) {
        Installed current = installed;
        if (current == null) {
            throw new IllegalStateException("this VoiceModule is not installed: Irisx.builder().install(module)");
        }
        return new Voice(tenant, current.store(), current.outbox(), current.rateLimiter(), providers, testProviders,
                flows, defaultRegion, Optional.ofNullable(tts), test);
    }

    @Override
    public String toString() {
        return "VoiceModule[" + (queueOnly ? "queue-only, " : "") + providers + ", test " + testProviders
                + ", flows " + flows.keySet()
                + (tts == null ? "" : ", " + tts) + "]";
    }

    private record Installed(VoiceStore store, Outbox outbox, RateLimiter rateLimiter) {
    }

    /** Builds a {@link VoiceModule}; each setter checks its value at once. Not thread-safe; build once. */
    public static final class Builder {
        private final Map<String, VoiceProvider> providers = new LinkedHashMap<>();
        private final Map<String, VoiceProvider> testProviders = new LinkedHashMap<>();
        private final Map<String, Flow> flows = new LinkedHashMap<>();
        private String defaultRegion = "US";
        private boolean queueOnly;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private int concurrency = 4;
        private Duration pollInterval = Duration.ofMillis(200);
        private TextToSpeech tts;

        private Builder() {
        }

        /**
         * Speaks the flows' say prompts through {@code tts} instead of the voice provider's own text-to-speech: a
         * say prompt (a say step's, or a gather's) that names no voice of its own becomes a play of its synthesized
         * audio, cached and served at {@code tts}'s audio URL, where the host mounts {@link TextToSpeech#serve}. The
         * characters the providers bill are metered per tenant as {@code TTS_CHARACTER}. The module closes
         * {@code tts} with the runtime, and reports its circuits as the health check {@code tts}.
         */
        public Builder tts(TextToSpeech tts) {
            this.tts = Objects.requireNonNull(tts, "tts");
            return this;
        }

        /**
         * Registers a provider. The worker tries the providers in the order they are registered, moving on to the
         * next when one fails with its answer; hang-ups and redirects go to the provider that placed the call.
         */
        public Builder provider(VoiceProvider provider) {
            Objects.requireNonNull(provider, "provider");
            if (providers.containsKey(provider.name())) {
                throw new IllegalArgumentException("a voice provider named '" + provider.name()
                        + "' is already registered");
            }
            if (testProviders.containsValue(provider)) {
                throw new IllegalArgumentException("voice provider '" + provider.name() + "' is registered as a test"
                        + " provider already: a live provider and a test provider are separate instances");
            }
            providers.put(provider.name(), provider);
            return this;
        }

        /**
         * Registers a test provider: the calls of tenant views in test mode ({@link io.irisx.core.Tenant#isTest()},
         * a test API key's) are placed through the test providers, in the order they are registered, and through
         * nothing else; their hang-ups and redirects go to the test provider that placed them. Without one, they go
         * to the built-in sandbox (named {@code sandbox}), which makes no network call and rings no one: it accepts
         * each call as {@code sandbox-<call id>}, and the call is then reported ringing, in progress and completed
         * with a duration of 0 seconds, each with its {@code call.*} event; the call's flow is not run. Test calls are
         * never metered and hold no prepaid credit. A test provider is a separate instance from every live one (it
         * may have the same name).
         */
        public Builder testProvider(VoiceProvider provider) {
            Objects.requireNonNull(provider, "testProvider");
            if (testProviders.containsKey(provider.name())) {
                throw new IllegalArgumentException("a voice test provider named '" + provider.name()
                        + "' is already registered");
            }
            if (providers.containsValue(provider)) {
                throw new IllegalArgumentException("voice provider '" + provider.name() + "' is registered as a live"
                        + " provider already: a live provider and a test provider are separate instances");
            }
            testProviders.put(provider.name(), provider);
            return this;
        }

        /** Registers a flow, which calls and other flows then name; names are unique. */
        public Builder flow(Flow flow) {
            Objects.requireNonNull(flow, "flow");
            if (flows.containsKey(flow.name())) {
                throw new IllegalArgumentException("a flow named '" + flow.name() + "' is already registered");
            }
            flows.put(flow.name(), flow);
            return this;
        }

        /** The region national numbers are read in, an ISO 3166 code such as {@code GB} (default {@code US}). */
        public Builder defaultRegion(String defaultRegion) {
            Objects.requireNonNull(defaultRegion, "defaultRegion");
            if (!PhoneNumber.isRegion(defaultRegion)) {
                throw new IllegalArgumentException("defaultRegion must be an ISO 3166 region code such as GB, was '"
                        + defaultRegion + "'");
            }
            this.defaultRegion = defaultRegion;
            return this;
        }

        /** When a failed placing is tried again, and how many tries it gets (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** How many calls this process places at once, 1 to 256 (default 4). */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > 256) {
                throw new IllegalArgumentException("concurrency must be between 1 and 256, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /** How often an idle database outbox looks for due calls (default 200 ms; JetStream pushes instead). */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * This process queues calls but does not place them: another process, with providers, works the VOICE
         * channel. Providers (and test providers) registered on a queue-only module serve its hang-ups and
         * redirects.
         */
        public Builder queueOnly() {
            this.queueOnly = true;
            return this;
        }

        /**
         * The module.
         *
         * @throws IllegalStateException when no provider is registered and the module is not queue-only
         * @throws InvalidFlowException when a flow redirects to a flow that is not registered
         */
        public VoiceModule build() {
            if (!queueOnly && providers.isEmpty()) {
                throw new IllegalStateException("register at least one voice provider (provider(…)), or call"
                        + " queueOnly() for a process that only queues calls");
            }
            for (Flow flow : flows.values()) {
                for (Step step : flow.steps()) {
                    if (step instanceof Step.Redirect redirect && !flows.containsKey(redirect.flow())) {
                        throw new InvalidFlowException(flow.name(), step.id(), "steps[" + step.id() + "].flow",
                                redirect.flow(), "names no flow of the VoiceModule; its flows are " + flows.keySet());
                    }
                }
            }
            return new VoiceModule(this);
        }
    }
}
