package io.irisx.messaging.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.irisx.core.TenantId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a channel's sender is built from — its providers, chains, circuit breaker, retry policy and concurrency —
 * each checked as it is set. Not thread-safe; not API.
 *
 * @param <P> the providers' type
 */
public final class SenderSettings<P extends AutoCloseable> {

    private final Function<P, String> names;
    private final Map<String, P> providers = new LinkedHashMap<>();
    private final Map<String, P> testProviders = new LinkedHashMap<>();
    private List<String> defaultChain = List.of();
    private final Map<TenantId, List<String>> tenantChains = new LinkedHashMap<>();
    private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private int concurrency = 4;
    private Duration pollInterval = Duration.ofMillis(200);
    /** A Micrometer MeterRegistry, kept as an Object so that senders load without Micrometer. */
    private Object meterRegistry;
    private RateLimiter rateLimiter;

    /** Settings for providers named by {@code names}. */
    public SenderSettings(Function<P, String> names) {
        this.names = names;
    }

    /** Registers a provider; the default chain is the providers in the order they are registered. */
    public void provider(P provider) {
        Objects.requireNonNull(provider, "provider");
        String name = names.apply(provider);
        if (providers.containsKey(name)) {
            throw new IllegalArgumentException("a provider named '" + name + "' is already registered");
        }
        providers.put(name, provider);
    }

    /**
     * Registers a test provider: the sends of tenant views in test mode go through the test providers, in the order
     * they are registered, and through nothing else.
     */
    public void testProvider(P provider) {
        Objects.requireNonNull(provider, "testProvider");
        String name = names.apply(provider);
        if (testProviders.containsKey(name)) {
            throw new IllegalArgumentException("a test provider named '" + name + "' is already registered");
        }
        testProviders.put(name, provider);
    }

    /** The names of the registered (live) providers, in order. */
    public List<String> providerNames() {
        return List.copyOf(providers.keySet());
    }

    /** The chain every tenant without its own uses. */
    public void chain(List<String> providerNames) {
        this.defaultChain = checkChain("chain", providerNames);
    }

    /** {@code tenant}'s own chain. */
    public void chain(TenantId tenant, List<String> providerNames) {
        Objects.requireNonNull(tenant, "tenant");
        tenantChains.put(tenant, checkChain("chain(" + tenant + ")", providerNames));
    }

    /** Each provider's circuit breaker configuration. */
    public void circuitBreaker(CircuitBreakerSettings circuitBreaker) {
        this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    }

    /** The retry policy. */
    public void retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    }

    /** How many messages are sent at once, 1 to 256. */
    public void concurrency(int concurrency) {
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be between 1 and 256, was " + concurrency);
        }
        this.concurrency = concurrency;
    }

    /** How often an idle database outbox looks for due messages. */
    public void pollInterval(Duration pollInterval) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
        this.pollInterval = pollInterval;
    }

    /** Where the chain's meters go: a Micrometer {@code MeterRegistry}. */
    public void meterRegistry(Object registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
    }

    /** What holds each tenant's deliveries to its delivery limit. */
    public void rateLimiter(RateLimiter rateLimiter) {
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    }

    /** What holds each tenant's deliveries to its delivery limit; empty when none was given. */
    public Optional<RateLimiter> rateLimiter() {
        return Optional.ofNullable(rateLimiter);
    }

    /** How long a message waits when every circuit of its chain is open: the breakers' wait in the open state. */
    private Duration openWait() {
        return circuitBreaker.openFor();
    }

    /**
     * Checks that a provider is registered and that every chain names registered providers, and returns the chain of
     * {@code channel} (its meters' tag), its breakers on {@code clock}, sending with {@code send}, retrying by the
     * retry policy.
     */
    public <M, R> ProviderChain<P, M, R> chain(String channel, BiFunction<P, M, R> send, Clock clock) {
        check();
        List<String> chain = defaultChain.isEmpty() ? List.copyOf(providers.keySet()) : defaultChain;
        return new ProviderChain<>(providers, send, chain, tenantChains,
                breakerConfig(clock), retryPolicy, openWait(),
                meterRegistry == null ? ProviderMeters.NONE : MicrometerProviderMeters.of(meterRegistry, channel));
    }

    /**
     * The chain of test sends of {@code channel}: the test providers in registration order, or {@code sandbox} when
     * none is registered; with breakers on {@code clock}, the retry policy, and meters tagged {@code channel-test}.
     */
    public <M, R> ProviderChain<P, M, R> testChain(String channel, BiFunction<P, M, R> send, Clock clock, P sandbox) {
        Map<String, P> test = testProviders.isEmpty() ? Map.of(names.apply(sandbox), sandbox) : testProviders;
        return new ProviderChain<>(test, send, List.copyOf(test.keySet()), Map.of(), breakerConfig(clock),
                retryPolicy, openWait(), meterRegistry == null ? ProviderMeters.NONE
                        : MicrometerProviderMeters.of(meterRegistry, channel + "-test"));
    }

    /**
     * Checks that a provider is registered and that every chain names registered providers.
     *
     * @throws IllegalStateException naming what is missing
     */
    public void check() {
        if (providers.isEmpty()) {
            throw new IllegalStateException("register at least one provider before starting the sender");
        }
        List<List<String>> chains = new ArrayList<>(tenantChains.values());
        chains.add(defaultChain);
        for (List<String> chain : chains) {
            for (String name : chain) {
                if (!providers.containsKey(name)) {
                    throw new IllegalStateException("chain " + chain + " names provider '" + name
                            + "', which is not registered; registered: " + providers.keySet());
                }
            }
        }
    }

    @Override
    public String toString() {
        return "providers " + providers.keySet() + (testProviders.isEmpty() ? "" : ", test providers "
                + testProviders.keySet());
    }

    private CircuitBreakerConfig breakerConfig(Clock clock) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(circuitBreaker.failureRatePercent())
                .slidingWindowSize(circuitBreaker.windowSize())
                .minimumNumberOfCalls(circuitBreaker.minimumCalls())
                .waitDurationInOpenState(circuitBreaker.openFor())
                .permittedNumberOfCallsInHalfOpenState(circuitBreaker.halfOpenCalls())
                .clock(clock)
                .build();
    }

    /** The outbox consumer's options. */
    public ConsumeOptions consumeOptions() {
        return ConsumeOptions.builder().concurrency(concurrency).retryPolicy(retryPolicy).pollInterval(pollInterval)
                .build();
    }

    private static List<String> checkChain(String field, List<String> providerNames) {
        Objects.requireNonNull(providerNames, field);
        if (providerNames.isEmpty() || providerNames.stream().distinct().count() != providerNames.size()) {
            throw new IllegalArgumentException(field + " must name one or more distinct providers, was " + providerNames);
        }
        return List.copyOf(providerNames);
    }
}
