package io.irisx.messaging.sms;

import io.irisx.core.TenantId;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import io.irisx.messaging.sms.internal.SmsSender;
import io.irisx.messaging.sms.internal.SmsStore;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.internal.SenderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The SMS and MMS channel, installed into the runtime with {@code Irisx.builder().install(SmsModule.builder()…build())}:
 * it migrates the SMS tables, and, unless {@linkplain Builder#sendOnly() send-only}, works the outbox's SMS channel
 * in this process, sending each message through its tenant's provider chain (a worker the runtime stops when
 * it closes, whose provider circuits are a check of the runtime's health and, with a meter registry, metered).
 * Each tenant's messages are reached with {@link SmsClient#of(io.irisx.core.Tenant)}. Thread-safe once installed.
 */
public final class SmsModule implements IrisxModule {

    private final SenderSettings<SmsProvider> sender;
    private final SmsClient.Builder clients;
    private final boolean sendOnly;
    private volatile Installed installed;

    private SmsModule(Builder b) {
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
        return "sms";
    }

    @Override
    public synchronized void install(ModuleContext context) {
        if (installed != null) {
            throw new IllegalStateException("this SmsModule is installed already: build one for each runtime");
        }
        SmsStore store = SmsStore.create(context.database(), context.clock(), context.events());
        if (!sendOnly) {
            context.meterRegistry().ifPresent(registry -> sender.meterRegistry(registry));
            SmsSender worker = SmsSender.start(store, sender, context.outbox());
            context.onClose(worker);
            context.addHealthCheck(worker);
        }
        installed = new Installed(store, context.outbox());
    }

    /** {@code tenant}'s client. */
    SmsClient client(TenantId tenant) {
        Installed current = installed;
        if (current == null) {
            throw new IllegalStateException("this SmsModule is not installed: Irisx.builder().install(module)");
        }
        return clients.build(current.store(), current.outbox(), tenant);
    }

    @Override
    public String toString() {
        return "SmsModule[" + (sendOnly ? "send-only" : sender) + "]";
    }

    private record Installed(SmsStore store, Outbox outbox) {
    }

    /** Builds an {@link SmsModule}; each setter checks its value at once. Not thread-safe; build once. */
    public static final class Builder {
        private final SenderSettings<SmsProvider> sender = new SenderSettings<>(SmsProvider::name);
        private final SmsClient.Builder clients = SmsClient.builder();
        private boolean sendOnly;
        private boolean anyProvider;

        private Builder() {
        }

        /** Registers a provider; the default chain is the providers in the order they are registered. */
        public Builder provider(SmsProvider provider) {
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

        /** How many messages this process sends at once, 1 to 256 (default 4). */
        public Builder concurrency(int concurrency) {
            sender.concurrency(concurrency);
            return this;
        }

        /** How often an idle database outbox looks for due messages (default 200 ms; JetStream pushes instead). */
        public Builder pollInterval(Duration pollInterval) {
            sender.pollInterval(pollInterval);
            return this;
        }

        /** The region national numbers are read in, an ISO 3166 code such as {@code GB} (default {@code US}). */
        public Builder defaultRegion(String defaultRegion) {
            clients.defaultRegion(defaultRegion);
            return this;
        }

        /** The most segments a message may have, 1 to 10; none by default. */
        public Builder maxSegments(int maxSegments) {
            clients.maxSegments(maxSegments);
            return this;
        }

        /**
         * This process queues messages but does not send them: another process, with providers, works the SMS
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
        public SmsModule build() {
            if (sendOnly && anyProvider) {
                throw new IllegalStateException("a send-only SmsModule sends nothing: give it no provider");
            }
            if (!sendOnly && !anyProvider) {
                throw new IllegalStateException("register at least one SMS provider (provider(…)), or call "
                        + "sendOnly() for a process that only queues messages");
            }
            if (!sendOnly) {
                sender.check();
            }
            return new SmsModule(this);
        }
    }
}
