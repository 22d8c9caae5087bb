package io.irisx.voice.internal;

import io.irisx.core.Channel;
import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.store.Jdbc;
import io.irisx.voice.Call;
import io.irisx.voice.CallReport;
import io.irisx.voice.CallStatus;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.spi.VoiceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The voice worker: consumes the outbox's VOICE channel and places each queued call through the module's providers;
 * thread-safe, one per process (several processes share the work). Close it to stop gracefully.
 *
 * <p>It reads the stored status first: a call no longer QUEUED (placed already, or canceled) is skipped, so no call is
 * placed twice by a redelivery. It then tries the providers in the order they were registered: the first acceptance
 * marks the call INITIATED with the provider's call id and emits {@code call.initiated}; a permanent refusal (an
 * invalid or blocked number, an unverified caller id, failed authentication) marks it FAILED and emits
 * {@code call.failed}, and the work is dead-lettered; a retryable failure with the provider's answer moves on to the
 * next provider. A failure without an answer (a timeout, a dropped connection) may have placed the call: the call is
 * held for that provider alone, marked as a possible duplicate, and tried again with it. When no provider accepted
 * it, it is retried by the retry policy and, once the tries run out, marked FAILED.
 *
 * <p>A call canceled while a provider was placing it is hung up at that provider at once.
 *
 * <p>A test call ({@link Call#test()}) is placed the same way through the module's test providers alone, never a
 * live one, without taking the tenant's delivery tokens; one the built-in {@link SandboxVoiceProvider} accepted is then reported ringing, in progress and completed
 * (0 seconds) at once.
 */
public final class CallPlacer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallPlacer.class);

    private final VoiceStore store;
    private final VoiceProviders providers;
    private final VoiceProviders testProviders;
    private final int maxAttempts;
    private final RateLimiter rateLimiter;
    private volatile Subscription subscription;

    private CallPlacer(VoiceStore store, VoiceProviders providers, VoiceProviders testProviders, int maxAttempts,
            RateLimiter rateLimiter) {
        this.store = store;
        this.providers = providers;
        this.testProviders = testProviders;
        this.maxAttempts = maxAttempts;
        this.rateLimiter = rateLimiter;
    }

    /**
     * Starts consuming {@code outbox}'s VOICE channel, placing the calls in {@code store} through {@code providers}
     * (a test call through {@code testProviders} alone), each tenant's at most as fast as its VOICE delivery limit in {@code rateLimiter} allows (over it, a call waits
     * without spending a try).
     */
    public static CallPlacer start(VoiceStore store, VoiceProviders providers, VoiceProviders testProviders,
            Outbox outbox, ConsumeOptions options, RateLimiter rateLimiter) {
        if (providers.isEmpty()) {
            throw new IllegalStateException("register at least one voice provider before placing calls");
        }
        CallPlacer placer = new CallPlacer(store, providers, Objects.requireNonNull(testProviders, "testProviders"),
                options.retryPolicy().maxAttempts(),
                Objects.requireNonNull(rateLimiter, "rateLimiter"));
        placer.subscription = outbox.consume(Channel.VOICE, placer::handle, options);
        return placer;
    }

    /** The payload of the outbox record that queues call {@code id}. */
    public static String payload(CallId id) {
        return Jdbc.json(Map.of("callId", id.value()));
    }

    /** Stops taking calls and lets those being placed finish (bounded); the providers stay open. */
    @Override
    public void close() {
        Subscription current = subscription;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public String toString() {
        return "CallPlacer[" + providers + ", test " + testProviders + "]";
    }

    private Outcome handle(Delivery delivery) {
        TenantId tenant = delivery.envelope().tenant();
        Optional<CallId> id = callId(delivery.envelope().payload());
        if (id.isEmpty()) {
            return Outcome.fail("the payload of " + delivery.envelope() + " names no call");
        }
        Optional<Call> stored = store.find(tenant, id.get());
        if (stored.isEmpty()) {
            return Outcome.fail("no call " + id.get() + " is stored for tenant " + tenant);
        }
        Call call = stored.get();
        if (call.status() != CallStatus.QUEUED) {
            log.debug("call {} is already {}: nothing to place", call.id(), call.status());
            return Outcome.done();
        }
        // A test call reaches no live provider, so takes none of the tenant's delivery tokens.
        RateLimiter.Decision decision = call.test() ? null : rateLimiter.tryAcquireDelivery(tenant, Channel.VOICE);
        if (decision != null && !decision.granted()) {
            return Outcome.defer(decision.retryAfter(), "rate limited: tenant " + tenant
                    + "'s calls are over their delivery limit");
        }
        int attempt = delivery.attempt();
        // A try ended without its outcome recorded (the process died), or a provider failed without answering.
        boolean inDoubt = attempt - 1 > call.attempts() || call.possibleDuplicate();
        List<VoiceProvider> candidates = candidates(call);
        if (candidates.isEmpty()) {
            String reason = (call.test() ? "test " : "") + "call " + call.id() + " is held for "
                    + (call.test() ? "test " : "") + "provider " + call.provider().orElse("?")
                    + ", which this process does not have: register it on the VoiceModule";
            log.warn("irisx voice: {}", reason);
            return Outcome.retry(reason);
        }
        List<String> reasons = new ArrayList<>();
        for (VoiceProvider provider : candidates) {
            try {
                CallReceipt receipt = provider.place(outgoing(call));
                placed(call, provider, receipt, attempt, inDoubt);
                if (provider instanceof SandboxVoiceProvider) {
                    sandboxed(call, receipt);
                }
                return Outcome.done();
            } catch (ProviderException e) {
                String error = provider.name() + ": " + e.getMessage();
                if (!e.isRetryable()) {
                    log.warn("irisx voice: call {} of tenant {} refused by {} (status {}, request {}): {}", call.id(),
                            tenant, provider.name(), e.statusCode(), e.requestId().orElse("-"), e.getMessage());
                    store.markFailed(call, provider.name(), attempt, error);
                    return Outcome.fail(error);
                }
                if (e.statusCode() == 0) {
                    return held(call, provider, attempt, error);
                }
                reasons.add(error);
            } catch (RuntimeException e) {
                // A fault of the provider's own code: whether it placed the call is unknown.
                return held(call, provider, attempt, provider.name() + " failed: " + e);
            }
        }
        return retryOrFail(call, attempt, String.join("; ", reasons));
    }

    private List<VoiceProvider> candidates(Call call) {
        // A test call is placed through the test providers alone: never a live one.
        VoiceProviders eligible = call.test() ? testProviders : providers;
        if (call.provider().isPresent()) {
            return eligible.named(call.provider().get()).map(List::of).orElse(List.of());
        }
        return eligible.all();
    }

    /**
     * Reports a call the sandbox accepted ringing, in progress and completed (0 seconds), so that a test call goes
     * through the statuses and events a real one does; its flow is not run.
     */
    private void sandboxed(Call call, CallReceipt receipt) {
        String id = receipt.providerCallId();
        for (CallStatus status : List.of(CallStatus.RINGING, CallStatus.IN_PROGRESS, CallStatus.COMPLETED)) {
            Optional<java.time.Duration> duration = status == CallStatus.COMPLETED
                    ? Optional.of(java.time.Duration.ZERO) : Optional.empty();
            store.record(call.tenant(), new CallReport(SandboxVoiceProvider.NAME, id, status,
                    status.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), duration, Optional.empty(),
                    Optional.empty(), store.clock().instant()));
        }
    }

    private void placed(Call call, VoiceProvider provider, CallReceipt receipt, int attempt, boolean inDoubt) {
        String detail = "placed through " + provider.name() + " as " + receipt.providerCallId()
                + (inDoubt ? "; placed again after a try with an unknown outcome, so the called party may be called"
                        + " twice" : "");
        if (inDoubt) {
            log.warn("irisx voice: call {} of tenant {} was placed again after a try with an unknown outcome"
                    + " (possible duplicate)", call.id(), call.tenant());
        }
        if (store.markPlaced(call, provider.name(), receipt, attempt, inDoubt, detail)) {
            return;
        }
        // Canceled while the provider placed it: the provider's call must not ring on.
        try {
            provider.hangup(new ProviderCall(call.id(), call.tenant(), receipt.providerCallId()));
            log.info("irisx voice: call {} of tenant {} was canceled while {} placed it; hung up as {}", call.id(),
                    call.tenant(), provider.name(), receipt.providerCallId());
        } catch (RuntimeException e) {
            log.error("irisx voice: call {} of tenant {} was canceled while {} placed it, and hanging up {} failed:"
                    + " it may ring on; {}", call.id(), call.tenant(), provider.name(), receipt.providerCallId(),
                    e.getMessage());
        }
    }

    private Outcome held(Call call, VoiceProvider provider, int attempt, String error) {
        log.warn("irisx voice: call {} of tenant {}: {} gave no answer, so it may have placed the call; it is held"
                + " for {} and tried again (possible duplicate)", call.id(), call.tenant(), provider.name(),
                provider.name());
        store.hold(call, provider.name(), attempt, error);
        return retryOrFail(call, attempt, error);
    }

    private Outcome retryOrFail(Call call, int attempt, String reasons) {
        if (attempt >= maxAttempts) {
            log.warn("irisx voice: call {} of tenant {} failed: no provider placed it in {} tries: {}", call.id(),
                    call.tenant(), attempt, reasons);
            store.markFailed(call, null, attempt, "no provider placed it in " + attempt + " tries: " + reasons);
            return Outcome.fail(reasons);
        }
        store.recordTry(call, attempt, reasons);
        return Outcome.retry(reasons);
    }

    private static Optional<CallId> callId(String payload) {
        try {
            Object id = Jdbc.fromJson(payload, Map.class).get("callId");
            return id instanceof String text ? Optional.of(CallId.parse(text)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static OutgoingCall outgoing(Call call) {
        return new OutgoingCall(call.id(), call.tenant(), call.idempotencyKey(), call.to(), call.from(), call.flow(),
                call.url(), call.recording(), call.machineDetection(), call.ringTimeout(), call.timeLimit(),
                call.statusCallback());
    }
}
