package io.irisx.messaging.internal;

import io.irisx.core.Channel;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.health.HealthCheck;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.spi.ModuleContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the builder of every channel module that sends through providers (email, SMS) holds: the providers, their
 * chains, circuit breaker, retries and concurrency, or that the process is send-only. Each setter checks its value
 * at once. Not thread-safe.
 *
 * @param <P> the channel's providers
 * @param <B> the module's own builder, which each setter returns
 */
public abstract class SenderModuleBuilder<P extends AutoCloseable, B extends SenderModuleBuilder<P, B>> {

    private final String channel;
    private final SenderSettings<P> sender;
    private boolean sendOnly;
    private boolean anyProvider;
    private boolean anyTestProvider;

    /** A builder of the {@code channel} module ({@code email}, {@code SMS}), whose providers {@code names} names. */
    protected SenderModuleBuilder(String channel, Function<P, String> names) {
        this.channel = channel;
        this.sender = new SenderSettings<>(names);
    }

    /** This builder, as its own type. */
    protected abstract B self();

    /** Registers a provider; the default chain is the providers in the order they are registered. */
    public B provider(P provider) {
        sender.provider(provider);
        anyProvider = true;
        return self();
    }

    /**
     * Registers a test provider: the sends of tenant views in test mode (a test API key's, or
     * {@code tenant.testMode()}) go through the test providers, in registration order, and never through a provider
     * registered with {@link #provider}. Without one, they go to the built-in sandbox (named {@code sandbox}), which
     * makes no network call: it accepts each message with an id of its own ({@code sandbox-<message id>}) and reports
     * it delivered, so that the message goes through the statuses and events a real one would.
     */
    public B testProvider(P provider) {
        sender.testProvider(provider);
        anyTestProvider = true;
        return self();
    }

    /** The chain every tenant without its own uses, by provider name (default: the registration order). */
    public B chain(List<String> providerNames) {
        sender.chain(providerNames);
        return self();
    }

    /**
     * {@code tenant}'s own chain, by provider name. A chain stored in the tenant's settings
     * ({@link io.irisx.core.tenant.TenantSettings#providerChain}) wins over it.
     */
    public B chain(TenantId tenant, List<String> providerNames) {
        sender.chain(tenant, providerNames);
        return self();
    }

    /** How each provider's circuit breaker opens and closes (default {@link CircuitBreakerSettings#defaults()}). */
    public B circuitBreaker(CircuitBreakerSettings circuitBreaker) {
        sender.circuitBreaker(circuitBreaker);
        return self();
    }

    /** When a failed send is tried again, and how many tries it gets (default {@link RetryPolicy#defaults()}). */
    public B retryPolicy(RetryPolicy retryPolicy) {
        sender.retryPolicy(retryPolicy);
        return self();
    }

    /** How many messages this process sends at once, 1 to 256 (default 4). */
    public B concurrency(int concurrency) {
        sender.concurrency(concurrency);
        return self();
    }

    /** How often an idle database outbox looks for due messages (default 200 ms; JetStream pushes instead). */
    public B pollInterval(Duration pollInterval) {
        sender.pollInterval(pollInterval);
        return self();
    }

    /**
     * This process queues messages but does not send them: another process, with providers, works the channel. A
     * send-only module takes no provider.
     */
    public B sendOnly() {
        this.sendOnly = true;
        return self();
    }

    /**
     * Checks the settings as a whole, for the module's {@code build()}.
     *
     * @throws IllegalStateException when no provider is registered and the module is not send-only, when a
     *     send-only module is given providers, or when a chain names a provider that is not registered
     */
    protected final void check() {
        if (sendOnly && (anyProvider || anyTestProvider)) {
            throw new IllegalStateException("a send-only " + channel + " module sends nothing: give it no provider");
        }
        if (!sendOnly && !anyProvider) {
            throw new IllegalStateException("register at least one " + channel + " provider (provider(…)), or call "
                    + "sendOnly() for a process that only queues messages");
        }
        if (!sendOnly) {
            sender.check();
        }
    }

    /**
     * Starts the module's worker unless it is send-only: metered in the runtime's registry, holding tenants to the
     * runtime's delivery limits, stopped when the runtime closes, its provider circuits a check of the runtime's
     * health.
     */
    protected final <W extends AutoCloseable & HealthCheck> void startWorker(ModuleContext context,
            Function<SenderSettings<P>, W> start) {
        if (sendOnly) {
            return;
        }
        context.meterRegistry().ifPresent(registry -> sender.meterRegistry(registry));
        sender.rateLimiter(context.rateLimiter());
        W worker = start.apply(sender);
        context.onClose(worker);
        context.addHealthCheck(worker);
    }

    /**
     * Checks a tenant's stored provider chain for {@code channel} against the providers registered here, for the
     * module's {@link io.irisx.core.spi.IrisxModule#checkSettings}: a send-only module cannot tell, and accepts it.
     *
     * @throws IrisxValidationException naming the field {@code providerChain.<channel>} and the chain when it names a
     *     provider that is not registered
     */
    protected final void checkChain(TenantSettings settings, Channel channel) {
        Optional<List<String>> chain = settings.providerChain(channel);
        if (sendOnly || chain.isEmpty()) {
            return;
        }
        List<String> registered = sender.providerNames();
        for (String name : chain.get()) {
            if (!registered.contains(name)) {
                throw new IrisxValidationException("providerChain." + channel.name().toLowerCase(Locale.ROOT),
                        chain.get(), "names provider '" + name + "', which is not registered on the " + this.channel
                                + " module; registered: " + registered);
            }
        }
    }

    /** Whether the module is send-only, or the providers it sends through. */
    @Override
    public String toString() {
        return sendOnly ? "send-only" : sender.toString();
    }
}
