package io.irisx.messaging.email.internal;

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
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.internal.TenantChains;
import io.irisx.messaging.internal.ProviderChain;
import io.irisx.messaging.internal.SenderSettings;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email worker: consumes the outbox's EMAIL channel and sends each queued email through its tenant's chain of
 * providers; thread-safe, one per process (several processes share the work). Close it to stop gracefully.
 *
 * <p>For each email it reads the stored status first (an email no longer QUEUED is skipped, so a redelivery never
 * sends twice; the first try of an email this process queued takes it as stored, see
 * {@link EmailStore#find(Delivery)}), then tries the providers in order: a retryable failure or an open circuit moves
 * it on to the next provider; the first acceptance marks it SENT with the provider and its message id and emits
 * {@code email.sent}; a permanent refusal marks it FAILED and emits {@code email.failed}. When no provider accepts
 * it, it is retried by the {@link RetryPolicy} and, once the tries run out, marked FAILED. When every circuit is open,
 * it waits without using up a try.
 *
 * <p>A try whose outcome is unknown (the process died after a provider accepted the email and before the status was
 * stored) is followed by another send with the same idempotency key: a provider that honours the key does not send
 * it twice; through one that does not, the email is marked {@link Email#possibleDuplicate()} and its history says so.
 *
 * <pre>{@code
 * try (EmailSender sender = EmailSender.builder(store)
 *         .provider(elasticEmail)
 *         .provider(sendGrid)
 *         .start(irisx.outbox())) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Before a provider is called, the email's tenant takes a token of its delivery limit for the channel
 * ({@link io.irisx.core.ratelimit.RateLimiter#tryAcquireDelivery}); over the limit, the email is put off until its
 * turn ({@link Outcome#defer}), without using up a try, so a flood of queued work drains at the rate the limit allows.
 *
 * <p>A test email ({@link Email#test()}, sent through a tenant view in test mode) goes only through the test chain:
 * the module's test providers, or the built-in {@link SandboxEmailProvider}, which calls no one; a sandboxed email is
 * then reported delivered, as a real provider would, in the transaction that marks it SENT. It is never handed to a
 * live provider, and takes no delivery token. A live email goes through its tenant's chain: the one stored in its settings
 * ({@link io.irisx.core.tenant.TenantSettings#providerChain}) when set, else the builder's. The stored chain is kept
 * {@value TenantChains#CACHE_SECONDS} seconds between reads ({@link TenantChains}): a change made in this process
 * applies at once ({@link #settingsChanged}), one made by another process within that time. A stored chain naming a
 * provider this process has not registered fails the email (its last error says which, WARN is logged with the
 * tenant and email ids, and {@code irisx.provider.calls} counts an {@code unregistered} outcome).
 *
 * <p>A provider failing with a {@link LinkageError} (its SDK and the libraries beside it do not fit together) may
 * have sent the email first: the sender logs it at ERROR, naming the classes involved and the jars they came from,
 * holds that provider's circuit open until the process restarts, and keeps the email QUEUED for that provider alone,
 * marked as a possible duplicate, without using up its tries.
 */
public final class EmailSender implements AutoCloseable, HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(EmailSender.class);

    private final EmailStore store;
    private final ProviderChain<EmailProvider, OutgoingEmail, EmailReceipt> chain;
    private final ProviderChain<EmailProvider, OutgoingEmail, EmailReceipt> testChain;
    private final Optional<RateLimiter> rateLimiter;
    private final TenantChains tenantChains;
    private volatile Subscription subscription;

    private EmailSender(EmailStore store, SenderSettings<EmailProvider> settings) {
        this.store = store;
        this.rateLimiter = settings.rateLimiter();
        this.chain = settings.chain("email", EmailProvider::send, store.clock());
        this.testChain = settings.testChain("email", EmailProvider::send, store.clock(), new SandboxEmailProvider());
        this.tenantChains = TenantChains.of(store.database(), Channel.EMAIL, store.clock());
    }

    /**
     * Checks the chains against the registered providers and starts consuming {@code outbox}'s EMAIL channel with
     * the messages in {@code store}.
     */
    public static EmailSender start(EmailStore store, SenderSettings<EmailProvider> settings, Outbox outbox) {
        EmailSender sender = new EmailSender(store, settings);
        sender.subscription = outbox.consume(Channel.EMAIL, sender::handle, settings.consumeOptions());
        return sender;
    }

    /** A builder for a sender of the emails in {@code store}. */
    public static Builder builder(EmailStore store) {
        return new Builder(store);
    }

    /** The state of provider {@code name}'s circuit breaker. */
    public CircuitState circuitState(String provider) {
        return chain.state(provider);
    }

    /**
     * The provider chain {@code tenant}'s live emails go through, by name, in order: the one stored in its settings
     * when set, else the builder's.
     */
    public List<String> chain(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return tenantChains.stored(tenant).orElseGet(() -> chain.chain(tenant));
    }

    /**
     * Forgets the provider chain kept for {@code tenant}, whose settings this process just changed: its next email
     * reads its stored chain again. The module calls it ({@link io.irisx.core.spi.IrisxModule#settingsChanged}).
     */
    public void settingsChanged(TenantId tenant) {
        tenantChains.forget(tenant);
    }

    /**
     * The check {@code email.providers} of this sender's provider circuits, for {@code irisx.addHealthCheck(sender)}: UP
     * when every circuit lets calls through, DEGRADED when some are open, DOWN when all are.
     */
    @Override
    public Health.Check check() {
        return chain.health("email.providers");
    }

    /** Stops taking emails, lets those in flight finish (bounded), and closes the providers. */
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
        return "EmailSender[" + chain.names() + "]";
    }

    private Outcome handle(Delivery delivery) {
        TenantId tenant = delivery.envelope().tenant();
        Optional<Email> stored = store.find(delivery);
        if (stored.isEmpty()) {
            return Outcome.fail("no email " + delivery.envelope().id() + " is stored for tenant " + tenant);
        }
        Email email = stored.get();
        if (email.status() != EmailStatus.QUEUED) {
            log.debug("email {} is already {}: nothing to send", email.id(), email.status());
            return Outcome.done();
        }
        if (email.test()) {
            return sendTest(email, delivery);
        }
        Optional<Outcome> held = rateLimiter.map(limiter -> limiter.tryAcquireDelivery(tenant, Channel.EMAIL))
                .filter(decision -> !decision.granted())
                .map(decision -> Outcome.defer(decision.retryAfter(), "rate limited: tenant " + tenant
                        + "'s email deliveries are over their limit"));
        if (held.isPresent()) {
            return held.get();
        }
        // A try ended without its outcome recorded (the process died), or held after its provider failed midway.
        boolean inDoubt = delivery.attempt() - 1 > email.attempts() || email.possibleDuplicate();
        // A QUEUED message with a provider is held for it: that provider may have accepted it before failing.
        ProviderChain.Result<EmailProvider, EmailReceipt> result;
        if (email.provider().isPresent()) {
            result = chain.sendThrough(email.provider().get(), outgoing(email));
        } else {
            Optional<List<String>> ownChain = tenantChains.stored(tenant);
            if (ownChain.isPresent()) {
                List<String> unregistered = chain.unregistered(ownChain.get());
                if (!unregistered.isEmpty()) {
                    String error = TenantChains.unregistered(tenant, Channel.EMAIL, ownChain.get(), unregistered,
                            chain.names());
                    log.warn("irisx email: email {} of tenant {} failed: {}", email.id(), tenant, error);
                    store.markFailed(email, null, delivery.attempt(), error);
                    return Outcome.fail(error);
                }
                result = chain.send(ownChain.get(), outgoing(email));
            } else {
                result = chain.send(tenant, outgoing(email));
            }
        }
        return settle(email, delivery, inDoubt, chain, result);
    }

    /** Sends a test email through the test chain alone: never a live provider. */
    private Outcome sendTest(Email email, Delivery delivery) {
        boolean inDoubt = delivery.attempt() - 1 > email.attempts() || email.possibleDuplicate();
        ProviderChain.Result<EmailProvider, EmailReceipt> result = email.provider().isPresent()
                ? testChain.sendThrough(email.provider().get(), outgoing(email))
                : testChain.send(email.tenant(), outgoing(email));
        return settle(email, delivery, inDoubt, testChain, result);
    }

    private Outcome settle(Email email, Delivery delivery, boolean inDoubt,
            ProviderChain<EmailProvider, OutgoingEmail, EmailReceipt> chain,
            ProviderChain.Result<EmailProvider, EmailReceipt> result) {
        if (result instanceof ProviderChain.Accepted<EmailProvider, EmailReceipt> accepted) {
            return sent(email, delivery, inDoubt, accepted);
        }
        return chain.settle(result, delivery, new ProviderChain.Failures() {
            @Override
            public void failed(String provider, String error) {
                store.markFailed(email, provider, delivery.attempt(), error);
            }

            @Override
            public void retrying(String reasons) {
                store.recordTry(email, delivery.attempt(), reasons);
            }

            @Override
            public void held(String provider, String error) {
                store.hold(email, provider, delivery.attempt(), error);
            }
        });
    }

    private Outcome sent(Email email, Delivery delivery, boolean inDoubt,
            ProviderChain.Accepted<EmailProvider, EmailReceipt> accepted) {
        EmailProvider provider = accepted.provider();
        boolean possibleDuplicate = inDoubt && !provider.acceptsIdempotencyKey();
        StringBuilder detail = new StringBuilder(accepted.describe(provider.name(),
                accepted.receipt().providerMessageId()));
        if (inDoubt) {
            detail.append(provider.acceptsIdempotencyKey()
                    ? "; sent again after a try with an unknown outcome, with the same idempotency key"
                    : "; sent again after a try with an unknown outcome: " + provider.name()
                            + " honours no idempotency key, so the recipient may have it twice");
            log.warn("email {} was sent again after a try with an unknown outcome{}", email.id(),
                    possibleDuplicate ? " (possible duplicate)" : "");
        }
        // The sandbox delivers at once, so that a test email goes through the statuses a real one does. Its report is
        // written in the SENT transaction: should it fail, neither commits and the email is tried again, so no
        // sandboxed email stays SENT without its DELIVERED.
        Optional<Function<Instant, ProviderEvent>> delivered = provider instanceof SandboxEmailProvider
                ? Optional.of(sentAt -> ProviderEvent.builder(SandboxEmailProvider.NAME, ProviderEvent.Kind.DELIVERED)
                        .providerMessageId(accepted.receipt().providerMessageId()).occurredAt(sentAt)
                        .detail("delivered by the sandbox: a test email, sent to no one").build())
                : Optional.empty();
        store.markSent(email, provider.name(), accepted.receipt().providerMessageId(), delivery, possibleDuplicate,
                detail.toString(), delivered);
        return Outcome.done();
    }

    private OutgoingEmail outgoing(Email email) {
        List<Attachment> attachments = email.attachmentCount() == 0 ? List.of()
                : store.attachments(email.tenant(), email.id());
        return new OutgoingEmail(email.id(), email.tenant(), email.idempotencyKey(), email.from(), email.to(),
                email.cc(), email.bcc(), email.replyTo(), email.subject(), email.text(), email.html(), attachments,
                email.headers(), email.tags(), email.metadata());
    }

    /** Builds an {@link EmailSender}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final EmailStore store;
        private final SenderSettings<EmailProvider> settings = new SenderSettings<>(EmailProvider::name);

        private Builder(EmailStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Registers a provider; the default chain is the providers in the order they are registered. */
        public Builder provider(EmailProvider provider) {
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
         * Holds each tenant's email deliveries to its delivery limit in {@code rateLimiter}: over it, a message waits
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

        /** How many emails this process sends at once, 1 to 256 (default 4). */
        public Builder concurrency(int concurrency) {
            settings.concurrency(concurrency);
            return this;
        }

        /** How often an idle database outbox looks for due emails (default 200 ms; JetStream pushes instead). */
        public Builder pollInterval(Duration pollInterval) {
            settings.pollInterval(pollInterval);
            return this;
        }

        /** Checks the chains against the registered providers, starts consuming {@code outbox}'s EMAIL channel. */
        public EmailSender start(Outbox outbox) {
            return EmailSender.start(store, settings, Objects.requireNonNull(outbox, "outbox"));
        }
    }
}
