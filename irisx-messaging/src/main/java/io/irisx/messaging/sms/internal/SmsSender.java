package io.irisx.messaging.sms.internal;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.health.Health;
import io.irisx.core.health.HealthCheck;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.core.retry.CircuitState;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.messaging.internal.ProviderChain;
import io.irisx.messaging.internal.SenderSettings;
import io.irisx.messaging.internal.TenantChains;
import io.irisx.messaging.sms.SmsReport;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.spi.OutgoingSms;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.spi.SmsReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS worker: consumes the outbox's SMS channel and sends each queued message through its tenant's chain of
 * providers; thread-safe, one per process (several processes share the work). Close it to stop gracefully.
 *
 * <p>It reads the stored status first (a message no longer QUEUED is skipped), then tries the providers in order: a
 * retryable failure or an open circuit moves the message on to the next provider; the first acceptance marks it
 * SENT with the provider's message id and emits {@code sms.sent}; a permanent refusal (an invalid or blocked number,
 * an unverified sender) marks it FAILED and emits {@code sms.failed}. When no provider accepts it, it is retried by
 * the {@link RetryPolicy} and, once the tries run out, marked FAILED. A message sent again after a try with an
 * unknown outcome is marked {@link Sms#possibleDuplicate()}, as SMS providers take no idempotency key.
 *
 * <p>Before a provider is called, the message's tenant takes a token of its delivery limit for the channel
 * ({@link io.irisx.core.ratelimit.RateLimiter#tryAcquireDelivery}); over the limit, the message is put off until its
 * turn ({@link Outcome#defer}), without using up a try, so a flood of queued work drains at the rate the limit allows.
 *
 * <p>A test message ({@link Sms#test()}, sent through a tenant view in test mode) goes only through the test chain:
 * the module's test providers, or the built-in {@link SandboxSmsProvider}, which calls no one; a sandboxed message is
 * then reported delivered, as a real provider would, in the transaction that marks it SENT. It is never handed to a
 * live provider, and takes no delivery token. A live message goes through its tenant's chain: the one stored in its
 * settings ({@link io.irisx.core.tenant.TenantSettings#providerChain}) when set, else the builder's. The stored chain
 * is kept {@value TenantChains#CACHE_SECONDS} seconds between reads ({@link TenantChains}): a change made in this
 * process applies at once ({@link #settingsChanged}), one made by another process within that time. A stored chain naming a
 * provider this process has not registered fails the message (its last error says which, WARN is logged with the
 * tenant and message ids, and {@code irisx.provider.calls} counts an {@code unregistered} outcome).
 *
 * <p>A provider failing with a {@link LinkageError} (its SDK and the libraries beside it do not fit together) may
 * have sent the message first: the sender logs it at ERROR, naming the classes involved and the jars they came from,
 * holds that provider's circuit open until the process restarts, and keeps the message QUEUED for that provider
 * alone, marked as a possible duplicate, without using up its tries.
 */
public final class SmsSender implements AutoCloseable, HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(SmsSender.class);

    private final SmsStore store;
    private final ProviderChain<SmsProvider, OutgoingSms, SmsReceipt> chain;
    private final ProviderChain<SmsProvider, OutgoingSms, SmsReceipt> testChain;
    private final Optional<RateLimiter> rateLimiter;
    private final TenantChains tenantChains;
    private volatile Subscription subscription;

    private SmsSender(SmsStore store, SenderSettings<SmsProvider> settings) {
        this.store = store;
        this.rateLimiter = settings.rateLimiter();
        this.chain = settings.chain("sms", SmsProvider::send, store.clock());
        this.testChain = settings.testChain("sms", SmsProvider::send, store.clock(), new SandboxSmsProvider());
        this.tenantChains = TenantChains.of(store.database(), Channel.SMS, store.clock());
    }

    /**
     * Checks the chains against the registered providers and starts consuming {@code outbox}'s SMS channel with
     * the messages in {@code store}.
     */
    public static SmsSender start(SmsStore store, SenderSettings<SmsProvider> settings, Outbox outbox) {
        SmsSender sender = new SmsSender(store, settings);
        sender.subscription = outbox.consume(Channel.SMS, sender::handle, settings.consumeOptions());
        return sender;
    }

    /** A builder for a sender of the messages in {@code store}. */
    public static Builder builder(SmsStore store) {
        return new Builder(store);
    }

    /** The state of provider {@code name}'s circuit breaker. */
    public CircuitState circuitState(String provider) {
        return chain.state(provider);
    }

    /**
     * Forgets the provider chain kept for {@code tenant}, whose settings this process just changed: its next message
     * reads its stored chain again. The module calls it ({@link io.irisx.core.spi.IrisxModule#settingsChanged}).
     */
    public void settingsChanged(TenantId tenant) {
        tenantChains.forget(tenant);
    }

    /**
     * The check {@code sms.providers} of this sender's provider circuits, for {@code irisx.addHealthCheck(sender)}: UP
     * when every circuit lets calls through, DEGRADED when some are open, DOWN when all are.
     */
    @Override
    public Health.Check check() {
        return chain.health("sms.providers");
    }

    /** Stops taking messages, lets those in flight finish (bounded), and closes the providers. */
    @Override
    public void close() {
        try {
            Subscription current = subscription;
            if (current != null) {
                current.close();
            }
        } finally {
            chain.close();
            testChain.close();
        }
    }

    @Override
    public String toString() {
        return "SmsSender[" + chain.names() + "]";
    }

    private Outcome handle(Delivery delivery) {
        TenantId tenant = delivery.envelope().tenant();
        Optional<Sms> stored = store.find(tenant, delivery.envelope().id());
        if (stored.isEmpty()) {
            return Outcome.fail("no SMS " + delivery.envelope().id() + " is stored for tenant " + tenant);
        }
        Sms sms = stored.get();
        if (sms.status() != SmsStatus.QUEUED) {
            log.debug("SMS {} is already {}: nothing to send", sms.id(), sms.status());
            return Outcome.done();
        }
        if (sms.test()) {
            return sendTest(sms, delivery);
        }
        Optional<Outcome> held = rateLimiter.map(limiter -> limiter.tryAcquireDelivery(tenant, Channel.SMS))
                .filter(decision -> !decision.granted())
                .map(decision -> Outcome.defer(decision.retryAfter(), "rate limited: tenant " + tenant
                        + "'s SMS deliveries are over their limit"));
        if (held.isPresent()) {
            return held.get();
        }
        // A try ended without its outcome recorded (the process died), or held after its provider failed midway.
        boolean inDoubt = delivery.attempt() - 1 > sms.attempts() || sms.possibleDuplicate();
        // A QUEUED message with a provider is held for it: that provider may have accepted it before failing.
        ProviderChain.Result<SmsProvider, SmsReceipt> result;
        if (sms.provider().isPresent()) {
            result = chain.sendThrough(sms.provider().get(), outgoing(sms));
        } else {
            Optional<List<String>> ownChain = tenantChains.stored(tenant);
            if (ownChain.isPresent()) {
                List<String> unregistered = chain.unregistered(ownChain.get());
                if (!unregistered.isEmpty()) {
                    String error = TenantChains.unregistered(tenant, Channel.SMS, ownChain.get(), unregistered,
                            chain.names());
                    log.warn("irisx sms: SMS {} of tenant {} failed: {}", sms.id(), tenant, error);
                    store.markFailed(sms, null, delivery.attempt(), error);
                    return Outcome.fail(error);
                }
                result = chain.send(ownChain.get(), outgoing(sms));
            } else {
                result = chain.send(tenant, outgoing(sms));
            }
        }
        return settle(sms, delivery, inDoubt, chain, result);
    }

    /** Sends a test message through the test chain alone: never a live provider. */
    private Outcome sendTest(Sms sms, Delivery delivery) {
        boolean inDoubt = delivery.attempt() - 1 > sms.attempts() || sms.possibleDuplicate();
        ProviderChain.Result<SmsProvider, SmsReceipt> result = sms.provider().isPresent()
                ? testChain.sendThrough(sms.provider().get(), outgoing(sms))
                : testChain.send(sms.tenant(), outgoing(sms));
        return settle(sms, delivery, inDoubt, testChain, result);
    }

    private Outcome settle(Sms sms, Delivery delivery, boolean inDoubt,
            ProviderChain<SmsProvider, OutgoingSms, SmsReceipt> chain,
            ProviderChain.Result<SmsProvider, SmsReceipt> result) {
        if (result instanceof ProviderChain.Accepted<SmsProvider, SmsReceipt> accepted) {
            String detail = accepted.describe(accepted.provider().name(), accepted.receipt().providerMessageId())
                    + (inDoubt ? "; sent again after a try with an unknown outcome: " + accepted.provider().name()
                            + " takes no idempotency key, so the recipient may have it twice" : "");
            if (inDoubt) {
                log.warn("SMS {} was sent again after a try with an unknown outcome (possible duplicate)", sms.id());
            }
            // The sandbox delivers at once, so that a test message goes through the statuses a real one does. Its
            // report is written in the SENT transaction: should it fail, neither commits and the message is tried
            // again, so no sandboxed message stays SENT without its DELIVERED.
            Optional<Function<Instant, SmsReport>> delivered = accepted.provider() instanceof SandboxSmsProvider
                    ? Optional.of(sentAt -> new SmsReport(SandboxSmsProvider.NAME,
                            accepted.receipt().providerMessageId(), SmsStatus.DELIVERED, "delivered", Optional.empty(),
                            sentAt))
                    : Optional.empty();
            store.markSent(sms, accepted.provider().name(), accepted.receipt().providerMessageId(),
                    accepted.receipt().providerStatus(), delivery, inDoubt, detail, delivered);
            return Outcome.done();
        }
        return chain.settle(result, delivery, new ProviderChain.Failures() {
            @Override
            public void failed(String provider, String error) {
                store.markFailed(sms, provider, delivery.attempt(), error);
            }

            @Override
            public void retrying(String reasons) {
                store.recordTry(sms, delivery.attempt(), reasons);
            }

            @Override
            public void held(String provider, String error) {
                store.hold(sms, provider, delivery.attempt(), error);
            }
        });
    }

    private static OutgoingSms outgoing(Sms sms) {
        return new OutgoingSms(sms.id(), sms.tenant(), sms.idempotencyKey(), sms.to(), sms.from(),
                sms.messagingServiceSid(), sms.body(), sms.mediaUrls(), sms.statusCallback(),
                sms.validityPeriodSeconds());
    }

    /** Builds an {@link SmsSender}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final SmsStore store;
        private final SenderSettings<SmsProvider> settings = new SenderSettings<>(SmsProvider::name);

        private Builder(SmsStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Registers a provider; the default chain is the providers in the order they are registered. */
        public Builder provider(SmsProvider provider) {
            settings.provider(provider);
            return this;
        }

        /** The chain every tenant without its own uses, by provider name (default: the registration order). */
        public Builder chain(List<String> providerNames) {
            settings.chain(providerNames);
            return this;
        }

        /** {@code tenant}'s own chain, by provider name. */
        public Builder chain(TenantId tenant, List<String> providerNames) {
            settings.chain(tenant, providerNames);
            return this;
        }

        /**
         * Meters the providers in {@code registry} (Micrometer, an optional dependency): {@code irisx.provider.calls},
         * a timer of every call tagged with the channel, the provider and the outcome (accepted, refused, failed,
         * faulted), and {@code irisx.provider.circuit.state}, each provider's circuit (0 closed, 1 half-open, 2 open).
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            settings.meterRegistry(registry);
            return this;
        }

        /**
         * Holds each tenant's SMS deliveries to its delivery limit in {@code rateLimiter}: over it, a message waits
         * its turn ({@link Outcome#defer}) without using up a try (default: no limits).
         */
        public Builder rateLimiter(RateLimiter rateLimiter) {
            settings.rateLimiter(rateLimiter);
            return this;
        }

        /** How each provider's circuit breaker opens and closes (default {@link CircuitBreakerSettings#defaults()}). */
        public Builder circuitBreaker(CircuitBreakerSettings circuitBreaker) {
            settings.circuitBreaker(circuitBreaker);
            return this;
        }

        /** When a failed send is tried again, and how many tries it gets (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            settings.retryPolicy(retryPolicy);
            return this;
        }

        /** How many messages this process sends at once, 1 to 256 (default 4). */
        public Builder concurrency(int concurrency) {
            settings.concurrency(concurrency);
            return this;
        }

        /** How often an idle database outbox looks for due messages (default 200 ms; JetStream pushes instead). */
        public Builder pollInterval(Duration pollInterval) {
            settings.pollInterval(pollInterval);
            return this;
        }

        /** Checks the chains against the registered providers, starts consuming {@code outbox}'s SMS channel. */
        public SmsSender start(Outbox outbox) {
            return SmsSender.start(store, settings, Objects.requireNonNull(outbox, "outbox"));
        }
    }
}
