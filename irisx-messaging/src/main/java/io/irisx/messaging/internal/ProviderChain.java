package io.irisx.messaging.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.health.Health;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.retry.CircuitState;
import io.irisx.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's providers in failover order, each behind its own Resilience4j circuit breaker: a retryable failure, or
 * an open circuit, moves a message on to the next provider; a permanent failure ends the try. Thread-safe. Not API.
 *
 * @param <P> the providers' type
 * @param <M> what they send
 * @param <R> what they answer when they accept it
 */
public final class ProviderChain<P extends AutoCloseable, M, R> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProviderChain.class);

    /** How one try through the chain ended. */
    public sealed interface Result<P, R> {
    }

    /**
     * A provider accepted the email.
     *
     * @param provider the provider
     * @param receipt its acceptance
     * @param skipped the providers passed over first, with why
     */
    public record Accepted<P, R>(P provider, R receipt, List<String> skipped) implements Result<P, R> {

        /**
         * What the history says of the acceptance: {@code accepted by <provider> as <providerMessageId>}, then the
         * providers passed over first.
         */
        public String describe(String providerName, String providerMessageId) {
            return "accepted by " + providerName + " as " + providerMessageId
                    + (skipped.isEmpty() ? "" : " after " + String.join("; ", skipped));
        }
    }

    /**
     * A provider refused the email for good.
     *
     * @param provider the provider
     * @param failure its refusal
     */
    public record Refused<P, R>(P provider, ProviderException failure) implements Result<P, R> {
    }

    /**
     * A provider failed with a {@link LinkageError}: its SDK and the libraries beside it on the class path do not fit
     * together. It may have accepted the message before it failed, and would fail alike at every call, so its
     * circuit is held open until the process restarts, and the message waits for it without being sent elsewhere.
     *
     * @param providerName the provider
     * @param fault what failed: the error, the classes it names and the jars they came from
     */
    public record Faulted<P, R>(String providerName, String fault) implements Result<P, R> {
    }

    /**
     * No provider accepted it, and a later try may.
     *
     * @param reasons why each provider did not, in order
     * @param called whether any provider was called (false: every circuit was open)
     */
    public record Unavailable<P, R>(List<String> reasons, boolean called) implements Result<P, R> {
    }

    private final Map<String, P> providers;
    private final BiFunction<P, M, R> send;
    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    private final List<String> defaultChain;
    private final Map<TenantId, List<String>> tenantChains;
    private final RetryPolicy retryPolicy;
    private final Duration openWait;
    private final ProviderMeters meters;

    /**
     * A chain over {@code providers} (by name, in order), each with a breaker configured by {@code breaker}, sending
     * with {@code send}, which throws {@link ProviderException} for every failure; a message no provider accepts is
     * retried by {@code retryPolicy}, or waits {@code openWait} when every circuit is open.
     */
    public ProviderChain(Map<String, P> providers, BiFunction<P, M, R> send, List<String> defaultChain,
            Map<TenantId, List<String>> tenantChains, CircuitBreakerConfig breaker, RetryPolicy retryPolicy,
            Duration openWait, ProviderMeters meters) {
        this.meters = meters;
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        this.send = send;
        this.retryPolicy = retryPolicy;
        this.openWait = openWait;
        this.defaultChain = List.copyOf(defaultChain);
        this.tenantChains = Map.copyOf(tenantChains);
        providers.keySet().forEach(name -> breakers.put(name,
                watched(name, CircuitBreaker.of("irisx-" + name, breaker))));
        breakers.forEach(meters::watch);
    }

    /** {@code breaker}, logging its opening at WARN and its closing at INFO. */
    private static CircuitBreaker watched(String provider, CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN) {
                log.warn("irisx: the circuit of provider {} opened (failure rate {}%); messages go to the next provider"
                        + " in their chain, or wait", provider, breaker.getMetrics().getFailureRate());
            } else if (to == CircuitBreaker.State.CLOSED) {
                log.info("irisx: the circuit of provider {} closed; it is called again", provider);
            }
        });
        return breaker;
    }

    /** Where the circuit breaker in front of provider {@code name} stands. */
    public CircuitState state(String name) {
        return CircuitState.valueOf(breaker(name).getState().name());
    }

    /** The circuit breaker in front of provider {@code name}. */
    private CircuitBreaker breaker(String name) {
        CircuitBreaker breaker = breakers.get(name);
        if (breaker == null) {
            throw new IllegalArgumentException("no provider named '" + name + "' is registered; registered: "
                    + breakers.keySet());
        }
        return breaker;
    }

    /**
     * The check named {@code name} of the providers' circuits: UP when every circuit lets calls through, DEGRADED when
     * some are open (messages fail over or wait), DOWN when all are (nothing can be sent).
     */
    public Health.Check health(String name) {
        long open = breakers.values().stream().map(CircuitBreaker::getState)
                .filter(state -> state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN)
                .count();
        String detail = breakers.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue().getState())
                .collect(Collectors.joining(", "));
        Health.Status status = open == 0 ? Health.Status.UP
                : open == breakers.size() ? Health.Status.DOWN : Health.Status.DEGRADED;
        return new Health.Check(name, status, detail);
    }

    /** The providers' names, in the order they were registered. */
    public List<String> names() {
        return List.copyOf(providers.keySet());
    }

    /** Closes every provider; a provider that fails to close is logged and the others are still closed. */
    @Override
    public void close() {
        providers.forEach((name, provider) -> {
            try {
                provider.close();
            } catch (Exception e) {
                log.warn("provider {} failed to close: {}", name, e.toString());
            }
        });
    }

    /** The provider {@code name}. */
    public P provider(String name) {
        return providers.get(name);
    }

    /** The chain of {@code tenant}: its own when it has one, else the default. */
    public List<String> chain(TenantId tenant) {
        return tenantChains.getOrDefault(tenant, defaultChain);
    }

    /** Tries each provider of {@code tenant}'s chain in order until one accepts {@code message} or refuses it for good. */
    public Result<P, R> send(TenantId tenant, M message) {
        return sendAlong(chain(tenant), message);
    }

    /**
     * The names of {@code chain} (a tenant's stored chain) that name no provider of this chain, each counted as a
     * call of outcome {@code unregistered}; empty when all are registered.
     */
    public List<String> unregistered(List<String> chain) {
        List<String> unknown = chain.stream().filter(name -> !providers.containsKey(name)).toList();
        unknown.forEach(name -> meters.called(name, "unregistered", 0));
        return unknown;
    }

    /**
     * Tries each provider of {@code chain} (a tenant's stored chain, every name registered: see
     * {@link #unregistered}) in order until one accepts {@code message} or refuses it for good.
     */
    public Result<P, R> send(List<String> chain, M message) {
        List<String> unknown = chain.stream().filter(name -> !providers.containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("chain " + chain + " names providers that are not registered: "
                    + unknown + "; registered: " + providers.keySet());
        }
        return sendAlong(chain, message);
    }

    /**
     * Tries provider {@code name} alone, for a message held for it after it {@linkplain Faulted failed midway}: it
     * may have accepted the message, so no other provider is to send it.
     */
    public Result<P, R> sendThrough(String name, M message) {
        if (!providers.containsKey(name)) {
            return new Unavailable<>(List.of(name + ": no longer registered; the message waits for it"), false);
        }
        return sendAlong(List.of(name), message);
    }

    private Result<P, R> sendAlong(List<String> names, M message) {
        List<String> reasons = new ArrayList<>();
        boolean called = false;
        for (String name : names) {
            CircuitBreaker breaker = breakers.get(name);
            if (!breaker.tryAcquirePermission()) {
                reasons.add(name + ": circuit open");
                continue;
            }
            called = true;
            P provider = providers.get(name);
            long start = System.nanoTime();
            try {
                R receipt = send.apply(provider, message);
                called(name, breaker, start, "accepted", null);
                return new Accepted<>(provider, receipt, List.copyOf(reasons));
            } catch (ProviderException e) {
                if (!e.isRetryable()) {
                    // A refusal is an answer: the provider is up, so its circuit counts it as a success.
                    called(name, breaker, start, "refused", null);
                    return new Refused<>(provider, e);
                }
                called(name, breaker, start, "failed", e);
                reasons.add(e.getMessage());
            } catch (VirtualMachineError e) {
                throw e;
            } catch (LinkageError e) {
                // Calling again cannot help, and the call may have gone out: no other provider gets the message.
                breaker.transitionToForcedOpenState();
                meters.called(name, "faulted", System.nanoTime() - start);
                return new Faulted<>(name, LinkageFaults.describe(e, provider.getClass().getClassLoader()));
            } catch (RuntimeException | Error e) {
                called(name, breaker, start, "failed", e);
                reasons.add(name + " failed unexpectedly: " + e);
            }
        }
        return new Unavailable<>(reasons, called);
    }
    /**
     * Tells {@code breaker} and the meters how a call to provider {@code name} begun at {@code start} ended: as a
     * success for the circuit when {@code error} is null, else as a failure.
     */
    private void called(String name, CircuitBreaker breaker, long start, String outcome, Throwable error) {
        long took = System.nanoTime() - start;
        if (error == null) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(took, TimeUnit.NANOSECONDS, error);
        }
        meters.called(name, outcome, took);
    }

    /** Where a channel records a try that no provider accepted. */
    public interface Failures {
        /** The message failed for good: refused by {@code provider}, or (provider null) out of tries. */
        void failed(String provider, String error);

        /** The try failed and will be retried. */
        void retrying(String reasons);

        /**
         * The try ended with {@code provider} failing after it may have accepted the message: it waits, marked as a
         * possible duplicate, until it is sent again.
         */
        void held(String provider, String error);
    }

    /**
     * Settles a try that no provider accepted: a provider's configuration fault holds the message back (logged at
     * ERROR); a refusal fails the message; when every circuit was open it waits
     * the breakers' open wait without using up a try; otherwise it is retried by the retry policy, and failed once
     * its tries run out. Each failure and retry is recorded through {@code failures} first.
     */
    public Outcome settle(Result<P, R> result, Delivery delivery, Failures failures) {
        int attempt = delivery.attempt();
        if (result instanceof Faulted<?, ?> faulted) {
            String error = faulted.providerName() + " failed with a configuration fault: " + faulted.fault();
            log.error("irisx {}: {} attempt {}: {}; its circuit stays open until the process restarts, and the message"
                    + " waits, marked as a possible duplicate, as {} may have accepted it", delivery.envelope().channel(),
                    delivery.envelope(), attempt, error, faulted.providerName());
            failures.held(faulted.providerName(), error);
            return Outcome.defer(openWait, error);
        }
        if (result instanceof Refused<?, ?> refused) {
            String error = refused.failure().getMessage();
            failures.failed(refused.failure().provider(), error);
            return Outcome.fail(error);
        }
        if (!(result instanceof Unavailable<?, ?> unavailable)) {
            throw new IllegalArgumentException("an accepted try has nothing to settle");
        }
        String reasons = String.join("; ", unavailable.reasons());
        if (!unavailable.called()) {
            return Outcome.defer(openWait, "every provider's circuit is open: " + reasons);
        }
        if (attempt >= retryPolicy.maxAttempts()) {
            failures.failed(null, "no provider accepted it in " + attempt + " tries: " + reasons);
            return Outcome.fail(reasons);
        }
        failures.retrying(reasons);
        return Outcome.retry(reasons);
    }
}
