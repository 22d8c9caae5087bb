package io.irisx.webhooks.endpoint;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.AttemptId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Outbox;
import io.irisx.webhooks.internal.store.AttemptRows;
import io.irisx.webhooks.internal.store.EndpointRows;
import io.irisx.webhooks.internal.store.EndpointRules;
import io.irisx.webhooks.internal.store.JsonColumns;
import io.irisx.webhooks.internal.store.MessagePublisher;
import io.irisx.webhooks.internal.store.MessageRows;
import io.irisx.webhooks.internal.store.WebhookStore;
import io.irisx.webhooks.signing.WebhookSecret;
import io.irisx.webhooks.ssrf.SsrfGuard;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's webhook endpoints: register, change, test, inspect and replay; thread-safe and immutable, meant to be
 * obtained once per tenant and shared. It holds no resources of its own, so there is nothing to close.
 *
 * <p>No call reaches another tenant's endpoints or messages: an id of another tenant's is not found. Input is checked
 * before anything is stored, and refused with an {@link IrisxValidationException} naming the field and the value
 * (secrets redacted); a failed call stores nothing. URLs pass the {@link SsrfGuard} at creation and update.
 */
public final class WebhookEndpoints {

    private static final Logger log = LoggerFactory.getLogger(WebhookEndpoints.class);

    private final TenantId tenant;
    private final WebhookStore store;
    private final SsrfGuard guard;
    private final Clock clock;
    private final MessagePublisher publisher;

    private WebhookEndpoints(TenantId tenant, WebhookStore store, Outbox outbox, SsrfGuard guard) {
        this.tenant = tenant;
        this.store = store;
        this.guard = guard;
        this.clock = store.clock();
        this.publisher = new MessagePublisher(outbox);
    }

    /**
     * {@code tenant}'s endpoints, through the runtime's {@link WebhooksModule}.
     *
     * @throws IllegalStateException when no {@code WebhooksModule} is installed
     */
    public static WebhookEndpoints of(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return tenant.module(WebhooksModule.class).endpoints(tenant.id());
    }

    /** The endpoints of {@code tenant} in {@code store}, queueing messages on {@code outbox}. */
    static WebhookEndpoints forTenant(TenantId tenant, WebhookStore store, Outbox outbox, SsrfGuard guard) {
        return new WebhookEndpoints(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(outbox, "outbox"), Objects.requireNonNull(guard, "guard"));
    }

    /** The tenant whose endpoints these are. */
    public TenantId tenant() {
        return tenant;
    }

    /** The event types endpoints can subscribe to. */
    public List<EventTypeInfo> eventTypes() {
        return store.eventTypes();
    }

    /**
     * Creates an endpoint, enabled, with the given or a generated secret.
     *
     * @return the endpoint, and its secret: the one time the secret is handed out
     * @throws IrisxValidationException when the URL is refused ({@code url}) or an event type is unknown
     *     ({@code eventTypes})
     */
    public CreatedEndpoint create(EndpointSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String url = checkUrl(spec.url());
        WebhookSecret secret = spec.secret().orElseGet(WebhookSecret::generate);
        Instant now = clock.instant();
        Endpoint endpoint = new Endpoint(EndpointId.generate(), url, spec.description(), spec.eventTypes(),
                spec.labels(), spec.headers(), spec.rateLimitPerSecond(), spec.maxConcurrency(), spec.testMode(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), 0, now, now);
        store.database().inTransaction(connection -> {
            checkEventTypes(connection, endpoint.eventTypes());
            EndpointRows.insert(connection, tenant, endpoint, store.seal(tenant, endpoint.id(), secret));
            return null;
        });
        log.info("irisx webhooks: tenant {} created {} endpoint {}", tenant, endpoint.testMode() ? "test" : "live",
                endpoint.id());
        return new CreatedEndpoint(endpoint, secret);
    }

    /** The endpoints matching {@code filter}, in the order they were created, one page at a time. */
    public Page<Endpoint> list(EndpointFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        Optional<EndpointId> after = page.cursor(EndpointId::parse);
        List<Endpoint> endpoints = store.database().withConnection(connection ->
                EndpointRows.list(connection, tenant, filter, after, page.limit() + 1));
        return Page.of(endpoints, page, endpoint -> endpoint.id().value());
    }

    /**
     * The endpoint {@code id}.
     *
     * @throws NotFoundException when this tenant has no such endpoint
     */
    public Endpoint get(EndpointId id) {
        Objects.requireNonNull(id, "id");
        return store.findEndpoint(tenant, id).orElseThrow(() -> notFound(id));
    }

    /**
     * Changes what {@code update} sets, checked as at creation; the rest stays.
     *
     * @return the endpoint as it now stands
     * @throws NotFoundException when this tenant has no such endpoint
     * @throws IrisxValidationException when the new URL is refused or a new event type is unknown
     */
    public Endpoint update(EndpointId id, EndpointUpdate update) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(update, "update");
        Optional<String> url = update.url().map(this::checkUrl);
        return store.database().inTransaction(connection -> {
            Endpoint old = stored(connection, id).endpoint();
            if (update.eventTypes().isPresent()) {
                checkEventTypes(connection, update.eventTypes().get());
            }
            Endpoint changed = new Endpoint(id, url.orElse(old.url()), update.description().orElse(old.description()),
                    update.eventTypes().orElse(old.eventTypes()), update.labels().orElse(old.labels()),
                    update.headers().orElse(old.headers()),
                    update.rateLimitPerSecond().orElse(old.rateLimitPerSecond()),
                    update.maxConcurrency().orElse(old.maxConcurrency()), old.testMode(), old.disabled(), old.disabledReason(),
                    old.disabledAt(), old.failingSince(), old.failureCount(), old.createdAt(), clock.instant());
            EndpointRows.updateSettings(connection, tenant, changed);
            return changed;
        });
    }

    /**
     * Deletes the endpoint with its messages and their attempts; messages still queued are then dropped by the
     * delivery engine.
     *
     * @throws NotFoundException when this tenant has no such endpoint
     */
    public void delete(EndpointId id) {
        Objects.requireNonNull(id, "id");
        boolean deleted = store.database().inTransaction(connection -> EndpointRows.delete(connection, tenant, id));
        if (!deleted) {
            throw notFound(id);
        }
        log.info("irisx webhooks: tenant {} deleted endpoint {}", tenant, id);
    }

    /**
     * Enables the endpoint, clearing its failure record; an enabled endpoint stays as it is.
     *
     * @return the endpoint as it now stands
     * @throws NotFoundException when this tenant has no such endpoint
     */
    public Endpoint enable(EndpointId id) {
        Objects.requireNonNull(id, "id");
        return store.database().inTransaction(connection -> {
            EndpointRows.enable(connection, tenant, id, clock.instant());
            return stored(connection, id).endpoint();
        });
    }

    /**
     * Disables the endpoint, saying why: no message is delivered to it until it is enabled again. A disabled endpoint
     * keeps its first reason.
     *
     * @return the endpoint as it now stands
     * @throws NotFoundException when this tenant has no such endpoint
     * @throws IrisxValidationException when the reason is blank or longer than 1000 characters
     */
    public Endpoint disable(EndpointId id, String reason) {
        Objects.requireNonNull(id, "id");
        String checked = WebhookStore.checkReason(reason);
        return store.database().inTransaction(connection -> {
            store.disable(connection, tenant, id, checked);
            return stored(connection, id).endpoint();
        });
    }

    /** Rotates the endpoint's secret to a generated one, the previous one signing beside it for a day. */
    public WebhookSecret rotateSecret(EndpointId id) {
        return rotateSecret(id, SecretRotation.generated());
    }

    /**
     * Rotates the endpoint's secret as {@code rotation} says: messages are signed with the new secret and, until the
     * grace ends, with the previous one too. A previous secret still in its grace is dropped.
     *
     * @return the new secret, to hand to the customer
     * @throws NotFoundException when this tenant has no such endpoint
     */
    public WebhookSecret rotateSecret(EndpointId id, SecretRotation rotation) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rotation, "rotation");
        WebhookSecret secret = rotation.secret().orElseGet(WebhookSecret::generate);
        store.database().inTransaction(connection -> {
            EndpointRows.Stored stored = stored(connection, id);
            Instant now = clock.instant();
            EndpointRows.updateSecrets(connection, tenant, id, store.seal(tenant, id, secret), stored.sealedSecret(),
                    now.plus(rotation.grace()), now);
            return null;
        });
        log.info("irisx webhooks: tenant {} rotated the secret of endpoint {} (grace {})", tenant, id,
                rotation.grace());
        return secret;
    }

    /**
     * Sends a {@code webhook.test} event to this endpoint only (whatever its filter), as a new message.
     *
     * @return the message queued
     * @throws NotFoundException when this tenant has no such endpoint
     */
    public WebhookMessage sendTest(EndpointId id) {
        Objects.requireNonNull(id, "id");
        return sendTest(id, Optional.empty());
    }

    /**
     * As {@link #sendTest(EndpointId)}, once per {@code idempotencyKey}: the first call with a key queues a message,
     * and every later call with the same key for the same endpoint queues nothing and returns that first message as
     * it stands now, even when concurrent. A key is this tenant's and this endpoint's: the same key sent to another
     * endpoint is another test.
     *
     * @param idempotencyKey 1-255 characters with no control characters, such as the caller's request id
     * @return the message queued by the first call with this key
     * @throws IrisxValidationException naming {@code idempotencyKey} when it is blank, too long or holds a control
     *     character
     * @throws NotFoundException when this tenant has no such endpoint
     */
    public WebhookMessage sendTest(EndpointId id, String idempotencyKey) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255
                || idempotencyKey.chars().anyMatch(Character::isISOControl)) {
            throw new IrisxValidationException("idempotencyKey", idempotencyKey,
                    "must be 1-255 characters with no control characters");
        }
        return sendTest(id, Optional.of(idempotencyKey));
    }

    private WebhookMessage sendTest(EndpointId id, Optional<String> idempotencyKey) {
        Instant now = clock.instant();
        Event event = new Event(EventId.generate(), EventType.WEBHOOK_TEST, tenant, now,
                "{\"endpointId\":" + JsonColumns.quoted(id.value()) + "}");
        WebhookMessage message = MessagePublisher.newMessage(id, event, now);
        return publisher.inTransaction(store.database(), (connection, queue) -> {
            stored(connection, id);
            return publisher.insertAndPublish(connection, queue, tenant, message, idempotencyKey);
        });
    }

    /**
     * The message {@code id}.
     *
     * @throws NotFoundException when this tenant has no such message
     */
    public WebhookMessage message(MessageId id) {
        Objects.requireNonNull(id, "id");
        return store.findMessage(tenant, id).orElseThrow(() -> new NotFoundException("message", id.value()));
    }

    /**
     * The endpoint's messages matching {@code filter}, newest first, one page at a time.
     *
     * @throws NotFoundException when this tenant has no such endpoint
     */
    public Page<WebhookMessage> messages(EndpointId endpoint, MessageFilter filter, PageRequest page) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        Optional<MessageId> after = page.cursor(MessageId::parse);
        List<WebhookMessage> messages = store.database().withConnection(connection -> {
            stored(connection, endpoint);
            return MessageRows.list(connection, tenant, endpoint, filter, after, page.limit() + 1);
        });
        return Page.of(messages, page, message -> message.id().value());
    }

    /**
     * The message's delivery attempts, oldest first, one page at a time.
     *
     * @throws NotFoundException when this tenant has no such message
     */
    public Page<WebhookAttempt> attempts(MessageId message, PageRequest page) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(page, "page");
        Optional<AttemptId> after = page.cursor(AttemptId::parse);
        List<WebhookAttempt> attempts = store.database().withConnection(connection -> {
            if (MessageRows.find(connection, tenant, message).isEmpty()) {
                throw new NotFoundException("message", message.value());
            }
            return AttemptRows.list(connection, tenant, message, after, page.limit() + 1);
        });
        return Page.of(attempts, page, attempt -> attempt.id().value());
    }

    /**
     * Queues the message for delivery again now, whatever its status; it becomes PENDING and keeps its id (the
     * {@code webhook-id} receivers deduplicate on).
     *
     * @return the message as it now stands
     * @throws NotFoundException when this tenant has no such message
     */
    public WebhookMessage retryNow(MessageId id) {
        Objects.requireNonNull(id, "id");
        return publisher.inTransaction(store.database(), (connection, queue) -> {
            if (!publisher.republish(connection, queue, tenant, id, clock.instant())) {
                throw new NotFoundException("message", id.value());
            }
            return MessageRows.find(connection, tenant, id).orElseThrow();
        });
    }

    /**
     * Queues again every FAILED or EXHAUSTED message of the endpoint created at or after {@code since}, as
     * {@link #retryNow} does, in one transaction.
     *
     * @return how many messages were queued
     * @throws NotFoundException when this tenant has no such endpoint
     */
    public int recoverSince(EndpointId endpoint, Instant since) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(since, "since");
        int recovered = publisher.inTransaction(store.database(), (connection, queue) -> {
            stored(connection, endpoint);
            Instant now = clock.instant();
            List<MessageId> failed = MessageRows.failedSince(connection, tenant, endpoint, since);
            for (MessageId id : failed) {
                publisher.republish(connection, queue, tenant, id, now);
            }
            return failed.size();
        });
        log.info("irisx webhooks: tenant {} recovered {} message(s) of endpoint {} since {}", tenant, recovered,
                endpoint, since);
        return recovered;
    }

    /**
     * Delivery figures of the endpoint over {@code [from, to)}: messages created in the window by status, attempts
     * made in it and their latency.
     *
     * @throws NotFoundException when this tenant has no such endpoint
     * @throws IrisxValidationException when {@code to} is not after {@code from}
     */
    public EndpointStats stats(EndpointId endpoint, Instant from, Instant to) {
        Objects.requireNonNull(endpoint, "endpoint");
        checkWindow(from, to);
        return store.database().withConnection(connection -> {
            stored(connection, endpoint);
            return AttemptRows.stats(connection, tenant, Optional.of(endpoint), from, to);
        });
    }

    /**
     * Delivery figures of all this tenant's endpoints over {@code [from, to)}, as {@link #stats(EndpointId, Instant,
     * Instant)}.
     *
     * @throws IrisxValidationException when {@code to} is not after {@code from}
     */
    public EndpointStats stats(Instant from, Instant to) {
        checkWindow(from, to);
        return store.database().withConnection(connection ->
                AttemptRows.stats(connection, tenant, Optional.empty(), from, to));
    }

    @Override
    public String toString() {
        return "WebhookEndpoints[" + tenant + "]";
    }

    private String checkUrl(String url) {
        return EndpointRules.url(guard.validateUrl(url).toString());
    }

    private void checkEventTypes(Connection connection, Set<String> eventTypes) throws SQLException {
        Set<String> unknown = store.unknownEventTypes(connection, eventTypes);
        if (!unknown.isEmpty()) {
            throw new IrisxValidationException("eventTypes", unknown.iterator().next(),
                    "is not a known event type; eventTypes() lists them (e.g. 'email.delivered')");
        }
    }

    private EndpointRows.Stored stored(Connection connection, EndpointId id) throws SQLException {
        return EndpointRows.find(connection, tenant, id).orElseThrow(() -> notFound(id));
    }

    private static NotFoundException notFound(EndpointId id) {
        return new NotFoundException("endpoint", id.value());
    }

    private static void checkWindow(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IrisxValidationException("to", to, "must be after from (" + from + ")");
        }
    }
}
