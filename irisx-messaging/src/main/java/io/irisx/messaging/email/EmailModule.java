package io.irisx.messaging.email;

import io.irisx.core.TenantId;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import io.irisx.messaging.email.internal.EmailSender;
import io.irisx.messaging.email.internal.EmailStore;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.internal.SenderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The email channel, installed into the runtime with {@code Irisx.builder().install(EmailModule.builder()…build())}:
 * it migrates the email tables, and, unless {@linkplain Builder#sendOnly() send-only}, works the outbox's EMAIL
 * channel in this process, sending each email through its tenant's provider chain (a worker the runtime stops when
 * it closes, whose provider circuits are a check of the runtime's health and, with a meter registry, metered).
 * Each tenant's email is reached with {@link EmailClient#of(io.irisx.core.Tenant)}. Thread-safe once installed.
 */
public final class EmailModule implements IrisxModule {

    private final SenderSettings<EmailProvider> sender;
    private final EmailClient.Builder clients;
    private final boolean sendOnly;
    private volatile Installed installed;

    private EmailModule(Builder b) {
        this.sender = b.sender;
        this.clients = b.clients;
        this.sendOnly = b.sendOnly;
    }

    /** A builder; give it the providers, or make the process {@linkplain Builder#sendOnly() send-only}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public synchronized void install(ModuleContext context) {
        if (installed != null) {
            throw new IllegalStateException("this EmailModule is installed already: build one for each runtime");
        }
        EmailStore store = EmailStore.create(context.database(), context.clock(), context.events());
        if (!sendOnly) {
            context.meterRegistry().ifPresent(registry -> sender.meterRegistry(registry));
            EmailSender worker = EmailSender.start(store, sender, context.outbox());
            context.onClose(worker);
            context.addHealthCheck(worker);
        }
        installed = new Installed(store, context.outbox());
    }

    /** {@code tenant}'s client. */
    EmailClient client(TenantId tenant) {
        Installed current = installed;
        if (current == null) {
            throw new IllegalStateException("this EmailModule is not installed: Irisx.builder().install(module)");
        }
        return clients.build(current.store(), current.outbox(), tenant);
    }

    @Override
    public String toString() {
        return "EmailModule[" + (sendOnly ? "send-only" : sender) + "]";
    }

    private record Installed(EmailStore store, Outbox outbox) {
    }

    /** Builds an {@link EmailModule}; each setter checks its value at once. Not thread-safe; build once. */
    public static final class Builder {
        private final SenderSettings<EmailProvider> sender = new SenderSettings<>(EmailProvider::name);
        private final EmailClient.Builder clients = EmailClient.builder();
        private boolean sendOnly;
        private boolean anyProvider;

        private Builder() {
        }

        /** Registers a provider; the default chain is the providers in the order they are registered. */
        public Builder provider(EmailProvider provider) {
            sender.provider(provider);
            anyProvider = true;
            return this;
        }

        /** The chain every tenant without its own uses, by provider name (default: the registration order). */
        public Builder chain(List<String> providerNames) {
            sender.chain(providerNames);
            return this;
        }

        /** {@code tenant}'s own chain, by provider name. */
        public Builder chain(TenantId tenant, List<String> providerNames) {
            sender.chain(tenant, providerNames);
            return this;
        }

        /** How each provider's circuit breaker opens and closes (default {@link CircuitBreakerSettings#defaults()}). */
        public Builder circuitBreaker(CircuitBreakerSettings circuitBreaker) {
            sender.circuitBreaker(circuitBreaker);
            return this;
        }

        /** When a failed send is tried again, and how many tries it gets (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            sender.retryPolicy(retryPolicy);
            return this;
        }

        /** How many emails this process sends at once, 1 to 256 (default 4). */
        public Builder concurrency(int concurrency) {
            sender.concurrency(concurrency);
            return this;
        }

        /** How often an idle database outbox looks for due emails (default 200 ms; JetStream pushes instead). */
        public Builder pollInterval(Duration pollInterval) {
            sender.pollInterval(pollInterval);
            return this;
        }

        /** The largest attachment, 1 byte to 40 MiB (default 10 MiB). */
        public Builder maxAttachmentBytes(long maxAttachmentBytes) {
            clients.maxAttachmentBytes(maxAttachmentBytes);
            return this;
        }

        /** The largest email, bodies and attachments together, 1 byte to 40 MiB (default 10 MiB). */
        public Builder maxTotalBytes(long maxTotalBytes) {
            clients.maxTotalBytes(maxTotalBytes);
            return this;
        }

        /** Whether a template variable the send does not give renders as empty text (default: it is an error). */
        public Builder allowMissingVariables(boolean allowMissingVariables) {
            clients.allowMissingVariables(allowMissingVariables);
            return this;
        }

        /** Who may not be sent to (default: no one is refused). */
        public Builder recipientFilter(RecipientFilter recipientFilter) {
            clients.recipientFilter(recipientFilter);
            return this;
        }

        /**
         * This process queues emails but does not send them: another process, with providers, works the EMAIL
         * channel. A send-only module takes no provider.
         */
        public Builder sendOnly() {
            this.sendOnly = true;
            return this;
        }

        /**
         * The module.
         *
         * @throws IllegalStateException when no provider is registered and the module is not send-only, or when a
         *     send-only module is given providers
         */
        public EmailModule build() {
            if (sendOnly && anyProvider) {
                throw new IllegalStateException("a send-only EmailModule sends nothing: give it no provider");
            }
            if (!sendOnly && !anyProvider) {
                throw new IllegalStateException("register at least one email provider (provider(…)), or call "
                        + "sendOnly() for a process that only queues emails");
            }
            if (!sendOnly) {
                sender.check();
            }
            return new EmailModule(this);
        }
    }
}
