package io.irisx.voice;

import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.ProviderException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.core.id.MessageId;
import io.irisx.core.id.RecordingId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.credit.SendCredit;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.spi.Metering;
import io.irisx.core.tenant.Tenants;
import io.irisx.core.usage.UsageUnit;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.Prompt;
import io.irisx.voice.internal.CallPlacer;
import io.irisx.voice.internal.VoiceProviders;
import io.irisx.voice.internal.VoiceStore;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.spi.VoiceProvider;
import io.irisx.voice.tts.Synthesis;
import io.irisx.voice.tts.TextToSpeech;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's calls: places them (queued at once, placed by the {@link VoiceModule} of any process that works the
 * VOICE channel), looks them up, hangs them up and redirects them, and keeps their recordings; thread-safe, cheap to get, meant to be shared.
 *
 * <p>{@link #call} normalises the numbers to E.164 (refusing what is not a valid phone number), checks that the flow
 * is one of the module's, and stores the call with its outbox record in one transaction, returning its id before any
 * provider is called.
 *
 * <pre>{@code
 * Voice voice = Voice.of(irisx.tenant("acme"));          // with a VoiceModule installed
 * CallId id = voice.call(CallRequest.builder().to("+447400123456").from("+14155550100").flow("support").build());
 * }</pre>
 */
public final class Voice {

    private static final Logger log = LoggerFactory.getLogger(Voice.class);

    private final TenantId tenant;
    private final VoiceStore store;
    private final Outbox outbox;
    private final RateLimiter rateLimiter;
    private final VoiceProviders providers;
    private final VoiceProviders testProviders;
    private final Map<String, Flow> flows;
    private final String defaultRegion;
    private final Optional<TextToSpeech> tts;
    private final boolean test;

    Voice(TenantId tenant, VoiceStore store, Outbox outbox, RateLimiter rateLimiter, VoiceProviders providers,
            VoiceProviders testProviders, Map<String, Flow> flows, String defaultRegion, Optional<TextToSpeech> tts,
            boolean test) {
        this.testProviders = testProviders;
        this.tts = tts;
        this.tenant = tenant;
        this.test = test;
        this.store = store;
        this.outbox = outbox;
        this.rateLimiter = rateLimiter;
        this.providers = providers;
        this.flows = flows;
        this.defaultRegion = defaultRegion;
    }

    /**
     * {@code tenant}'s calls, through the runtime's {@link VoiceModule}. A view in test mode ({@link Tenant#isTest()},
     * a test API key's) places test calls: stored marked as test ({@link Call#test()}), placed only through the
     * module's {@linkplain VoiceModule.Builder#testProvider test providers} (else its built-in sandbox, which calls
     * no one), never a live provider, never metered and holding no prepaid credit; their {@code call.*} events are
     * {@linkplain io.irisx.core.event.Event#test() test events} carrying {@code "test": true}, which webhooks deliver
     * only to the tenant's test endpoints.
     *
     * @throws IllegalStateException when no {@code VoiceModule} is installed
     */
    public static Voice of(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return tenant.module(VoiceModule.class).voice(tenant.id(), tenant.isTest());
    }

    /**
     * Whether this is a test-mode view: the calls it places are test calls, which reach the module's test providers
     * only; it reads all the tenant's calls, and never sends a live call's hang-up or redirect to its provider.
     */
    public boolean isTest() {
        return test;
    }

    /** The tenant whose calls these are. */
    public TenantId tenant() {
        return tenant;
    }

    /**
     * Checks, stores and queues {@code request}, and returns the call's id. Calling again with the same idempotency
     * key returns the first call's id and queues nothing.
     *
     * @throws IrisxValidationException when a number is not a valid phone number, or the flow is not one of the
     *     module's
     * @throws io.irisx.core.TenantSuspendedException when the host suspended the tenant
     * @throws io.irisx.core.RateLimitedException when the tenant's VOICE send limit is spent for now
     * @throws io.irisx.core.InsufficientCreditException when the tenant is PREPAID and its available credit does not
     *     cover the price of the call's time limit in {@code CALL_SECOND}s, which is reserved until the call ends and
     *     is then charged for the seconds the call lasted (nothing, when it never connected); a
     *     {@linkplain #isTest() test-mode} view's calls hold nothing and are never charged
     */
    public CallId call(CallRequest request) {
        Objects.requireNonNull(request, "request");
        PhoneNumber to = PhoneNumber.parse("to", request.to(), defaultRegion);
        PhoneNumber from = PhoneNumber.parse("from", request.from(), defaultRegion);
        request.flow().ifPresent(this::requireFlow);
        rateLimiter.acquireSend(tenant, Channel.VOICE);
        CallId id = CallId.generate();
        Instant now = store.clock().instant();
        String key = request.idempotencyKey().orElse(id.value());
        Call call = new Call(id, tenant, key, CallStatus.QUEUED, to.value(), from.value(), request.flow(),
                request.url(), request.recording(), request.machineDetection(), request.ringTimeout(),
                request.timeLimit(), request.statusCallback(), 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(), now, now,
                Optional.empty(), Optional.empty(), test);
        Envelope envelope = new Envelope(MessageId.generate(), tenant, Channel.VOICE, key, CallPlacer.payload(id));
        Optional<CallId> existing = store.database().inTransaction(connection -> {
            boolean prepaid = Tenants.admit(connection, tenant);
            // A PREPAID tenant's price is held before anything is stored or emitted; a refusal ends the call here.
            // A test call is never billed, so holds nothing.
            boolean reserved = !test && prepaid && SendCredit.reserve(connection, tenant, store.prices(),
                    UsageUnit.CALL_SECOND, request.timeLimit().toSeconds(), id.value(), now).isPresent();
            if (!store.insert(connection, call)) {
                // Placed at the same moment with the same key: the first one stands, and holds the price.
                if (reserved) {
                    SendCredit.releaseReserved(connection, tenant, UsageUnit.CALL_SECOND, id.value(), now);
                }
                return Optional.of(store.findByKey(connection, tenant, key)
                        .orElseThrow(() -> new IllegalStateException("call " + id + " collided but is not stored")));
            }
            MessageId queued = outbox.publish(connection, envelope);
            if (!queued.equals(envelope.id())) {
                throw new IllegalStateException("the outbox already holds voice work with idempotency key '" + key
                        + "' (" + queued + ") that is not a call of tenant " + tenant);
            }
            return Optional.<CallId>empty();
        });
        if (existing.isPresent()) {
            return existing.get();
        }
        outbox.committed(List.of(envelope));
        return id;
    }

    /** The tenant's call {@code id}; {@link NotFoundException} if it has none. */
    public Call get(CallId id) {
        Objects.requireNonNull(id, "id");
        return store.find(tenant, id).orElseThrow(() -> new NotFoundException("call", id.value()));
    }

    /** A page of the tenant's calls, newest first. */
    public Page<Call> list(PageRequest page) {
        return list(CallFilter.all(), page);
    }

    /**
     * A page of the tenant's calls that {@code filter} keeps, newest first. The filter's numbers are read as a call's
     * are: E.164, or national in the module's default region.
     *
     * @throws IrisxValidationException when the filter's {@code to} or {@code from} is not a valid phone number,
     *     naming it and the value
     */
    public Page<Call> list(CallFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        Optional<String> to = filter.to().map(number -> PhoneNumber.parse("to", number, defaultRegion).value());
        Optional<String> from = filter.from().map(number -> PhoneNumber.parse("from", number, defaultRegion).value());
        return Page.of(store.list(tenant, filter, to, from, page.limit() + 1, page.cursor(CallId::parse)), page,
                call -> call.id().value());
    }

    /** Every status the tenant's call {@code id} reached, oldest first; {@link NotFoundException} if it has none. */
    public List<CallStatusChange> history(CallId id) {
        get(id);
        return store.history(tenant, id);
    }

    /**
     * Ends the tenant's call {@code id}. A call not yet placed is CANCELED at once (and never placed); a placed call is
     * hung up at its provider, and its final status follows from the provider's answer or its callback. A call that
     * has ended is left as it is.
     *
     * @return the call as it stands afterwards
     * @throws NotFoundException when the tenant has no such call
     * @throws ProviderException when the provider refuses or cannot be reached
     * @throws IllegalStateException when the call's provider is not registered in this process, or, in
     *     {@linkplain #isTest() test mode}, when the call is a live call that was placed (its provider is not
     *     reached); a test call goes to the test provider that placed it
     */
    public Call hangup(CallId id) {
        Call call = get(id);
        if (call.status() == CallStatus.QUEUED) {
            Optional<Call> canceled = store.cancelQueued(tenant, id, "hung up before it was placed");
            if (canceled.isPresent()) {
                return canceled.get();
            }
            call = get(id);
        }
        if (call.status().isFinal()) {
            return call;
        }
        VoiceProvider provider = provider(call);
        String providerCallId = call.providerCallId().orElseThrow();
        CallReceipt receipt = provider.hangup(new ProviderCall(id, tenant, providerCallId));
        apply(provider, providerCallId, receipt);
        return get(id);
    }

    /**
     * Makes the tenant's call {@code id} run flow {@code flow} from its first step: a call not yet placed will run it
     * once answered; a placed call leaves what it was doing for it, through its provider.
     *
     * @return the call as it stands afterwards
     * @throws IrisxValidationException when {@code flow} is not one of the module's flows
     * @throws NotFoundException when the tenant has no such call
     * @throws ConflictException when the call has ended
     * @throws ProviderException when the provider refuses or cannot be reached
     * @throws IllegalStateException when the call's provider is not registered in this process, or, in
     *     {@linkplain #isTest() test mode}, when the call is a live call that was placed (its provider is not
     *     reached); a test call goes to the test provider that placed it
     */
    public Call redirect(CallId id, String flow) {
        requireFlow(Objects.requireNonNull(flow, "flow"));
        Call call = get(id);
        if (call.status() == CallStatus.QUEUED && store.setFlow(tenant, id, flow)) {
            call = get(id);
            if (call.status() == CallStatus.QUEUED) {
                return call;
            }
        }
        if (call.status().isFinal()) {
            throw new ConflictException("call " + id + " has ended (" + call.status() + "): it cannot be redirected");
        }
        VoiceProvider provider = provider(call);
        String providerCallId = call.providerCallId().orElseThrow();
        CallReceipt receipt = provider.redirect(new ProviderCall(id, tenant, providerCallId), flow);
        store.setFlow(tenant, id, flow);
        apply(provider, providerCallId, receipt);
        return get(id);
    }

    /**
     * Applies a provider's status report to the tenant's call it names (see the provider's callback handler, such as
     * {@code TwilioVoiceCallbacks}, which calls this once it has checked the request). Another tenant's call of the
     * same provider id is never touched; a status never moves backwards and is reached once. A COMPLETED call with a
     * duration is metered ({@code UsageUnit.CALL_SECOND} × its seconds) in the same transaction, once however often
     * it is reported.
     *
     * @return the call as it stands afterwards, or empty when the tenant has no call of that provider's id (nothing is
     *     changed)
     */
    public Optional<Call> record(CallReport report) {
        return store.record(tenant, report);
    }

    /**
     * Stores a provider's report about a recording of the tenant's call it names (see the provider's callback handler,
     * such as {@code TwilioVoiceCallbacks}, which calls this once it has checked the request): once per recording id,
     * a completed recording never changes again, and {@code call.recording.completed} is emitted once, in the
     * transaction in which the recording becomes completed. Another tenant's call of the same provider id is never
     * touched.
     *
     * @return the recording as it stands afterwards, or empty when the tenant has no call of that provider's id
     *     (nothing is stored)
     */
    public Optional<Recording> record(RecordingReport report) {
        return store.recordings().record(tenant, Objects.requireNonNull(report, "report"));
    }

    /** The recordings of the tenant's call {@code id}, oldest first; {@link NotFoundException} if it has no such call. */
    public List<Recording> recordings(CallId id) {
        get(id);
        return store.recordings().list(tenant, id);
    }

    /**
     * Forgets the tenant's recording {@code id}: its row goes, and {@link #recordings} no longer lists it. The audio
     * stays with the provider, at the recording's {@link Recording#url() url}: deleting it there (for Twilio, a
     * {@code DELETE} of the Recording resource) is the host's call, made before this one while the URL is at hand.
     *
     * @throws NotFoundException when the tenant has no such recording
     */
    public void deleteRecording(RecordingId id) {
        Objects.requireNonNull(id, "id");
        if (!store.recordings().delete(tenant, id)) {
            throw new NotFoundException("recording", id.value());
        }
    }

    /** The module's flow named {@code name}, if it has one. */
    public Optional<Flow> flow(String name) {
        return Optional.ofNullable(flows.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * The URL of {@code speech} as synthesized audio, when the module has {@linkplain VoiceModule.Builder#tts
     * text-to-speech} and the speech names no voice of its own (one that does is left to the voice provider's own
     * text-to-speech); empty otherwise, and when no text-to-speech provider could synthesize it (logged at WARN),
     * so that the provider speaks it instead. A synthesis that a provider billed is metered for this tenant as
     * {@code TTS_CHARACTER} × the billed characters, keyed by the audio's content address and the instant of the
     * synthesis ({@code tts_<hash>.<epoch millis>}), so recording it again writes nothing; audio found in the cache
     * bills nothing and meters nothing, and neither does a {@linkplain #isTest() test-mode} view's synthesis.
     */
    public Optional<String> speechUrl(Prompt.Speech speech) {
        Objects.requireNonNull(speech, "speech");
        if (tts.isEmpty() || speech.voice().isPresent()) {
            return Optional.empty();
        }
        Synthesis synthesis;
        try {
            synthesis = tts.get().synthesize(speech.text(), speech.language());
        } catch (ProviderException e) {
            log.warn("irisx voice: tenant {}: text-to-speech failed ({}, status {}, request {}); the call provider"
                    + " speaks the prompt itself: {}", tenant, e.provider(), e.statusCode(),
                    e.requestId().orElse("-"), e.getMessage());
            return Optional.empty();
        }
        if (synthesis.synthesizedNow() && !test) {
            Instant now = store.clock().instant();
            String subject = "tts_" + synthesis.key().substring(0, synthesis.key().indexOf('.')) + "."
                    + now.toEpochMilli();
            store.database().inTransaction(connection -> Metering.record(connection, tenant,
                    UsageUnit.TTS_CHARACTER, subject, synthesis.billedCharacters(), now));
        }
        return Optional.of(synthesis.url());
    }

    /** The runtime's clock, which times calls and reports. */
    public Clock clock() {
        return store.clock();
    }

    @Override
    public String toString() {
        return "Voice[" + tenant + (test ? ", test" : "") + "]";
    }

    private void requireFlow(String flow) {
        if (!flows.containsKey(flow)) {
            throw new IrisxValidationException("flow", flow, "is not a flow of the VoiceModule; its flows are "
                    + flows.keySet() + " (register flows with VoiceModule.builder().flow(…))");
        }
    }

    private VoiceProvider provider(Call call) {
        if (test && !call.test()) {
            throw new IllegalStateException("tenant " + tenant + " is seen in test mode (a test API key): live call "
                    + call.id() + " is not sent to its provider in test mode, as a test key never reaches a live"
                    + " provider");
        }
        String name = call.provider().orElseThrow(() -> new IllegalStateException("call " + call.id() + " is "
                + call.status() + " but names no provider"));
        // A test call's hang-ups and redirects go to the test provider that placed it.
        VoiceProviders eligible = call.test() ? testProviders : providers;
        return eligible.named(name).orElseThrow(() -> new IllegalStateException((call.test() ? "test call " : "call ")
                + call.id() + " was placed through " + (call.test() ? "test provider " : "provider ") + name
                + ", which this process does not have: register it on the VoiceModule"));
    }

    private void apply(VoiceProvider provider, String providerCallId, CallReceipt receipt) {
        receipt.status().filter(status -> status != CallStatus.QUEUED).ifPresent(status ->
                store.record(tenant, new CallReport(provider.name(), providerCallId, status,
                        receipt.providerStatus(), Optional.empty(), Optional.empty(), Optional.empty(),
                        store.clock().instant())));
    }
}
