package io.irisx.webhooks.internal.delivery;

import io.irisx.core.Channel;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.secret.SecretSealingException;
import io.irisx.webhooks.delivery.AttemptResult;
import io.irisx.webhooks.delivery.WebhookDispatcher;
import io.irisx.webhooks.delivery.WebhookRequest;
import io.irisx.webhooks.endpoint.AttemptOutcome;
import io.irisx.webhooks.endpoint.DeliveryTarget;
import io.irisx.webhooks.endpoint.Endpoint;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookMessage;
import io.irisx.webhooks.internal.DeliveryMeters;
import io.irisx.webhooks.internal.store.NewAttempt;
import io.irisx.webhooks.internal.store.WebhookEventSink;
import io.irisx.webhooks.internal.store.WebhookStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook delivery engine: consumes the {@link Channel#WEBHOOKS} channel of the {@link Outbox}, on which
 * {@link WebhookEventSink} and the endpoint operations queue one envelope per webhook message, and delivers each
 * message to its endpoint, signed, through a {@link WebhookDispatcher}. Thread-safe; start it in every process that
 * should deliver (the outbox spreads the work), and close it to stop.
 *
 * <p>For each delivery it reads the message and its endpoint from the {@link WebhookStore} (a message delivered
 * already, failed for good, or whose endpoint was deleted is skipped), makes one attempt, and records the attempt
 * with the message's new status in one transaction, together with any event the attempt causes:
 * <ul>
 *   <li>2xx: SUCCEEDED; the endpoint's failing run ends.</li>
 *   <li>410 Gone: FAILED, and the endpoint is disabled ({@code webhook.endpoint.disabled}).</li>
 *   <li>Any other failure (other statuses, 3xx, timeouts, network errors): PENDING with the next attempt after the
 *       {@link RetryPolicy} delay (by default the Standard Webhooks schedule, with jitter), or after the endpoint's
 *       {@code Retry-After} on 429, 502, 503 and 504; once the policy's attempts are used up, EXHAUSTED ({@code message.attempt.exhausted}). The message stays
 *       recoverable ({@code WebhookEndpoints.retryNow}, {@code recoverSince}), each recovery being one more
 *       attempt.</li>
 *   <li>An address the SSRF guard refuses at delivery: FAILED at once.</li>
 *   <li>An endpoint secret the configured sealing keys cannot open: nothing is sent; a failed attempt is recorded
 *       with the reason and retried as any other failure, and a WARN names the endpoint and the message.</li>
 * </ul>
 * An endpoint that has failed without a single success for {@link Builder#autoDisableAfter(Duration)} (default 5
 * days), over at least {@link Builder#autoDisableMinFailures(int)} failures, is disabled and
 * {@code webhook.endpoint.disabled} is emitted. Messages for a disabled endpoint fail without an attempt.
 *
 * <p>Per-endpoint rate limits and concurrency caps are kept by an {@link EndpointThrottle}: a delivery over its
 * endpoint's limits goes back to the outbox for a moment, so a slow or limited endpoint holds no worker thread and
 * never delays the others.
 *
 * <p>The two events the engine itself emits are not emitted about messages that carry one of them, so that an
 * endpoint failing every delivery cannot feed itself an endless chain of notifications about its own failures.
 */
public final class DeliveryEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final Set<String> ENGINE_EVENTS = Set.of(EventType.MESSAGE_ATTEMPT_EXHAUSTED.wireName(),
            EventType.WEBHOOK_ENDPOINT_DISABLED.wireName());
    /**
     * The outbox's own tries of one envelope, one per attempt (a pause for a throttled endpoint is not one). The
     * engine's {@link RetryPolicy} decides when a message is exhausted; this only stops an envelope circulating for
     * ever (it then becomes a dead letter).
     */
    private static final RetryPolicy OUTBOX_TRIES = RetryPolicy.exponential(Duration.ofSeconds(1), 1.0, 100).build();

    private final WebhookStore store;
    private final WebhookDispatcher dispatcher;
    private final boolean ownsDispatcher;
    private final EndpointThrottle throttle;
    private final EventSink events;
    private final RetryPolicy retryPolicy;
    private final Duration autoDisableAfter;
    private final int autoDisableMinFailures;
    private final Clock clock;
    private final DeliveryMeters meters;
    private final Subscription subscription;

    private DeliveryEngine(Builder b, WebhookStore store, Outbox outbox) {
        this.store = store;
        this.ownsDispatcher = b.dispatcher == null;
        this.dispatcher = ownsDispatcher ? WebhookDispatcher.builder().clock(b.clock).build() : b.dispatcher;
        this.throttle = b.throttle != null ? b.throttle : EndpointThrottle.builder().clock(b.clock).build();
        this.events = b.events != null ? b.events : WebhookEventSink.create(store, outbox);
        this.retryPolicy = b.retryPolicy;
        this.autoDisableAfter = b.autoDisableAfter;
        this.autoDisableMinFailures = b.autoDisableMinFailures;
        this.clock = b.clock;
        this.meters = b.meterRegistry == null ? DeliveryMeters.NONE : DeliveryMeters.micrometer(b.meterRegistry);
        this.subscription = outbox.consume(Channel.WEBHOOKS, this::handle, ConsumeOptions.builder()
                .concurrency(b.concurrency).retryPolicy(OUTBOX_TRIES).build());
    }

    /** A builder of an engine. */
    public static Builder builder() {
        return new Builder();
    }

    private Outcome handle(Delivery delivery) {
        MessageId id;
        try {
            id = MessageId.parse(delivery.envelope().payload());
        } catch (IrisxValidationException e) {
            return Outcome.fail("the envelope carries no webhook message id: " + e.getMessage());
        }
        TenantId tenant = delivery.envelope().tenant();
        Optional<DeliveryTarget> found;
        try {
            found = store.loadForDelivery(tenant, id);
        } catch (SecretSealingException e) {
            return unopenedSecret(delivery, tenant, id, e);
        }
        if (found.isEmpty()) {
            log.debug("irisx webhooks: message {} of tenant {} is gone (endpoint deleted); skipping", id, tenant);
            return Outcome.done();
        }
        WebhookMessage message = found.get().message();
        Endpoint endpoint = found.get().endpoint();
        if (message.status() != MessageStatus.PENDING) {
            log.debug("irisx webhooks: message {} is {} already; skipping the redelivery", id, message.status());
            return Outcome.done();
        }
        if (publication(delivery, id) < message.publications()) {
            // A retry was asked for while this publication waited: the newer one delivers, this one would be a
            // second request for the same attempt.
            log.debug("irisx webhooks: message {} was queued again since; dropping the older publication", id);
            return Outcome.done();
        }
        if (endpoint.disabled()) {
            store.recordAttempt(tenant, id, NewAttempt.noResponse(clock.instant(), Duration.ZERO,
                    AttemptOutcome.BLOCKED, "endpoint disabled: " + endpoint.disabledReason().orElse("")),
                    MessageStatus.FAILED, Optional.empty());
            return Outcome.done();
        }
        try (EndpointThrottle.Permit permit = throttle.tryAcquire(endpoint.id().value(), endpoint.rateLimitPerSecond(),
                endpoint.maxConcurrency())) {
            if (!permit.isGranted()) {
                return Outcome.defer(permit.retryAfter(), "endpoint " + endpoint.id() + " is at its limits");
            }
            Instant attemptedAt = clock.instant();
            AttemptResult result;
            try {
                result = dispatcher.deliver(new WebhookRequest(endpoint.url(), id.value(),
                        message.payload().getBytes(StandardCharsets.UTF_8), found.get().secrets(), endpoint.headers()));
            } catch (RuntimeException e) {
                // The request could not even be made (a header stored before IRISX checked them, say): a failed
                // attempt the tenant sees, rather than an error only the outbox's record would hold.
                result = new AttemptResult(AttemptResult.Kind.FAILED, OptionalInt.empty(), Duration.ZERO, "",
                        Optional.of("the request could not be made: " + e), Optional.empty());
            }
            return record(delivery, new Target(message, endpoint), attemptedAt, result, outcomeOf(result));
        }
    }

    /**
     * The endpoint's sealed secret does not open with the configured sealing keys (a key was dropped or replaced):
     * nothing can be signed, so nothing is sent, and the attempt is recorded as failed with the reason, retried on
     * the policy's schedule (the keys may be put right) and logged, so the misconfiguration is seen.
     */
    private Outcome unopenedSecret(Delivery delivery, TenantId tenant, MessageId id, SecretSealingException e) {
        Optional<WebhookMessage> message = store.findMessage(tenant, id);
        Optional<Endpoint> endpoint = message.flatMap(m -> store.findEndpoint(tenant, m.endpointId()));
        if (message.isEmpty() || endpoint.isEmpty() || message.get().status() != MessageStatus.PENDING) {
            return Outcome.done();
        }
        String error = "endpoint secret cannot be opened with the configured sealing keys (" + e.reason() + ")";
        log.warn("irisx webhooks: the secret of endpoint {} of tenant {} cannot be opened with the configured sealing"
                + " keys ({}); message {} is not sent and counts a failed attempt", endpoint.get().id(), tenant,
                e.reason(), id);
        AttemptResult result = new AttemptResult(AttemptResult.Kind.FAILED, OptionalInt.empty(), Duration.ZERO, "",
                Optional.of(error), Optional.empty());
        return record(delivery, new Target(message.get(), endpoint.get()), clock.instant(), result,
                AttemptOutcome.BLOCKED);
    }

    /** Which publication of the message {@code delivery} carries: 1 for the first, n + 1 for {@code .retry-n}. */
    private static int publication(Delivery delivery, MessageId id) {
        String key = delivery.envelope().idempotencyKey();
        String retry = id.value() + ".retry-";
        if (key.startsWith(retry)) {
            try {
                return Integer.parseInt(key.substring(retry.length())) + 1;
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }
        return 1;
    }

    /**
     * Records the attempt and what it makes of the message; a success ends the delivery's outbox record in the same
     * transaction ({@link OutboxOutcomes#doneIn}).
     */
    private Outcome record(Delivery delivery, Target target, Instant attemptedAt, AttemptResult result,
            AttemptOutcome outcome) {
        TenantId tenant = delivery.envelope().tenant();
        WebhookMessage message = target.message();
        Endpoint endpoint = target.endpoint();
        NewAttempt attempt = new NewAttempt(attemptedAt, result.statusCode(), result.latency(), result.responseBody(),
                result.error(), outcome,
                result.requestHeaders().isEmpty() ? Optional.empty() : Optional.of(endpoint.url()),
                result.requestHeaders());
        switch (result.kind()) {
            case SUCCEEDED -> {
                meters.attempted("succeeded", result.latency());
                store.recordAttempt(tenant, message.id(), attempt, MessageStatus.SUCCEEDED, Optional.empty(),
                        connection -> OutboxOutcomes.doneIn(connection, delivery, attemptedAt));
                if (endpoint.failingSince().isPresent()) {
                    store.markEndpointSuccess(tenant, endpoint.id());
                }
            }
            case GONE -> {
                meters.attempted("gone", result.latency());
                store.recordAttempt(tenant, message.id(), attempt, MessageStatus.FAILED, Optional.empty());
                disable(tenant, target, "the endpoint answered 410 Gone");
            }
            case BLOCKED -> {
                meters.attempted("blocked", result.latency());
                log.warn("irisx webhooks: message {} to endpoint {} of tenant {} is FAILED, its delivery refused: {}",
                        message.id(), endpoint.id(), tenant, result.error().orElse("blocked"));
                store.recordAttempt(tenant, message.id(), attempt, MessageStatus.FAILED, Optional.empty());
                failed(tenant, target);
            }
            case FAILED -> {
                int attemptsMade = message.attempts() + 1;
                Optional<Duration> delay = DeliverySchedule.nextDelay(result, attemptsMade, retryPolicy);
                if (delay.isPresent()) {
                    meters.attempted("retrying", result.latency());
                    store.recordAttempt(tenant, message.id(), attempt, MessageStatus.PENDING,
                            Optional.of(clock.instant().plus(delay.get())));
                    failed(tenant, target);
                    return Outcome.retryAfter(delay.get(), result.error().orElse("delivery failed"));
                }
                meters.attempted("exhausted", result.latency());
                log.warn("irisx webhooks: message {} to endpoint {} of tenant {} is EXHAUSTED after {} attempt(s): {}",
                        message.id(), endpoint.id(), tenant, attemptsMade, result.error().orElse("delivery failed"));
                store.recordAttempt(tenant, message.id(), attempt, MessageStatus.EXHAUSTED, Optional.empty(),
                        transaction -> {
                            if (!ENGINE_EVENTS.contains(message.eventType())) {
                                events.emit(transaction, exhausted(tenant, target, attemptsMade, result));
                            }
                            return null;
                        });
                failed(tenant, target);
            }
            default -> throw new IllegalStateException("unknown attempt kind " + result.kind());
        }
        return Outcome.done();
    }

    /** Counts a failure against the endpoint, and disables it when it has been failing too long. */
    private void failed(TenantId tenant, Target target) {
        Endpoint endpoint = store.markEndpointFailure(tenant, target.endpoint().id());
        Optional<Instant> since = endpoint.failingSince();
        if (since.isPresent() && endpoint.failureCount() >= autoDisableMinFailures
                && !since.get().plus(autoDisableAfter).isAfter(clock.instant())) {
            disable(tenant, target, "failing since " + since.get() + " (" + endpoint.failureCount() + " failures in a row)");
        }
    }

    private void disable(TenantId tenant, Target target, String reason) {
        Endpoint endpoint = target.endpoint();
        boolean disabled = store.disableEndpoint(tenant, endpoint.id(), reason, transaction -> {
            if (!ENGINE_EVENTS.contains(target.message().eventType())) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("endpointId", endpoint.id().value());
                data.put("url", endpoint.url());
                data.put("reason", reason);
                endpoint.failingSince().ifPresent(since -> data.put("failingSince", since.toString()));
                events.emit(transaction, Event.of(EventType.WEBHOOK_ENDPOINT_DISABLED, tenant, clock, data)
                        .withTest(endpoint.testMode()));
            }
            return null;
        });
        if (disabled) {
            throttle.forget(endpoint.id().value());
            log.warn("irisx webhooks: endpoint {} of tenant {} disabled: {}", endpoint.id(), tenant, reason);
        }
    }

    private Event exhausted(TenantId tenant, Target target, int attempts, AttemptResult last) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", target.message().id().value());
        data.put("endpointId", target.endpoint().id().value());
        data.put("eventId", target.message().eventId().value());
        data.put("eventType", target.message().eventType());
        data.put("attempts", attempts);
        last.statusCode().ifPresent(status -> data.put("lastStatusCode", status));
        last.error().ifPresent(error -> data.put("lastError", error));
        return Event.of(EventType.MESSAGE_ATTEMPT_EXHAUSTED, tenant, clock, data)
                .withTest(target.endpoint().testMode());
    }

    private static AttemptOutcome outcomeOf(AttemptResult result) {
        if (result.succeeded()) {
            return AttemptOutcome.SUCCESS;
        }
        if (result.kind() == AttemptResult.Kind.BLOCKED) {
            return AttemptOutcome.BLOCKED;
        }
        if (result.statusCode().isPresent()) {
            return AttemptOutcome.HTTP_ERROR;
        }
        return result.error().filter(error -> error.contains("timeout")).isPresent() ? AttemptOutcome.TIMEOUT
                : AttemptOutcome.NETWORK_ERROR;
    }

    /** The message an attempt was for and its endpoint. */
    private record Target(WebhookMessage message, Endpoint endpoint) {
    }

    /** Stops consuming (deliveries in progress finish and are recorded), then closes the dispatcher if it made it. */
    @Override
    public void close() {
        try {
            subscription.close();
        } finally {
            if (ownsDispatcher) {
                dispatcher.close();
            }
        }
    }

    @Override
    public String toString() {
        return "DeliveryEngine[" + subscription + ", " + retryPolicy + "]";
    }

    /** Builds and starts a {@link DeliveryEngine}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private WebhookDispatcher dispatcher;
        private EndpointThrottle throttle;
        private EventSink events;
        private RetryPolicy retryPolicy = RetryPolicy.longSchedule();
        private Duration autoDisableAfter = Duration.ofDays(5);
        private int autoDisableMinFailures = 10;
        private int concurrency = 32;
        private Clock clock = Clock.systemUTC();
        /** A Micrometer MeterRegistry, kept as an Object so that the engine loads without Micrometer. */
        private Object meterRegistry;

        private Builder() {
        }

        /** The HTTP side (timeouts, SSRF guard); by default one made here with the defaults, closed with the engine. */
        public Builder dispatcher(WebhookDispatcher dispatcher) {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
            return this;
        }

        /** Keeps the endpoints' rate limits and concurrency caps; by default one of this engine's own. */
        public Builder throttle(EndpointThrottle throttle) {
            this.throttle = Objects.requireNonNull(throttle, "throttle");
            return this;
        }

        /**
         * Where {@code message.attempt.exhausted} and {@code webhook.endpoint.disabled} go; by default to the
         * tenant's endpoints subscribed to them, through a {@link WebhookEventSink} on the same store and outbox.
         */
        public Builder events(EventSink events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /**
         * When to try a failed message again: {@link RetryPolicy#longSchedule()}, the Standard Webhooks schedule
         * (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, with jitter), unless told otherwise. A customer's receiver may be
         * down for hours, and a shorter schedule, such as {@link RetryPolicy#defaults()} (exhausted about 31 s after
         * the first attempt), gives up on it long before it is back.
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** How long an endpoint may fail without a success before it is disabled, 1 minute to 90 days (default 5 days). */
        public Builder autoDisableAfter(Duration autoDisableAfter) {
            Objects.requireNonNull(autoDisableAfter, "autoDisableAfter");
            if (autoDisableAfter.compareTo(Duration.ofMinutes(1)) < 0 || autoDisableAfter.compareTo(Duration.ofDays(90)) > 0) {
                throw new IllegalArgumentException("autoDisableAfter must be between 1 minute and 90 days, was "
                        + autoDisableAfter);
            }
            this.autoDisableAfter = autoDisableAfter;
            return this;
        }

        /** The fewest failures in a row before an endpoint is disabled, 1 to 1,000,000 (default 10). */
        public Builder autoDisableMinFailures(int autoDisableMinFailures) {
            if (autoDisableMinFailures < 1 || autoDisableMinFailures > 1_000_000) {
                throw new IllegalArgumentException("autoDisableMinFailures must be between 1 and 1000000, was "
                        + autoDisableMinFailures);
            }
            this.autoDisableMinFailures = autoDisableMinFailures;
            return this;
        }

        /** Deliveries in flight at once in this process, 1 to 1024 (default 32). */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > 1024) {
                throw new IllegalArgumentException("concurrency must be between 1 and 1024, was " + concurrency);
            }
            this.concurrency = concurrency;
            return this;
        }

        /**
         * Meters every attempt in {@code registry} (Micrometer, an optional dependency): {@code
         * irisx.webhooks.deliveries}, a timer of each request's latency tagged {@code outcome} (succeeded, retrying,
         * exhausted, gone or blocked).
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** The clock of attempt times, retry due times and auto-disabling (default the system clock, UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Starts delivering {@code store}'s messages from the WEBHOOKS channel of {@code outbox}, which must be on the
         * store's database.
         */
        public DeliveryEngine start(WebhookStore store, Outbox outbox) {
            return new DeliveryEngine(this, Objects.requireNonNull(store, "store"), Objects.requireNonNull(outbox, "outbox"));
        }
    }
}
