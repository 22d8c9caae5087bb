package io.irisx.webhooks.internal.store;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.TenantId;
import io.irisx.core.event.EventType;
import io.irisx.core.id.AttemptId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SecretSealer;
import io.irisx.core.spi.Metering;
import io.irisx.core.store.Database;
import io.irisx.core.usage.UsageUnit;
import io.irisx.webhooks.endpoint.DeliveryTarget;
import io.irisx.webhooks.endpoint.Endpoint;
import io.irisx.webhooks.endpoint.EventTypeInfo;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.WebhookAttempt;
import io.irisx.webhooks.endpoint.WebhookMessage;
import io.irisx.webhooks.signing.WebhookSecret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The webhook tables of one database: endpoints, messages, attempts and the event catalogue; thread-safe, meant to
 * be created once and shared by every tenant's {@link io.irisx.webhooks.endpoint.WebhookEndpoints}, the
 * {@link WebhookEventSink} and the delivery engine, which loads messages and records attempts through it.
 *
 * <p>Every method takes the tenant and touches only that tenant's rows. Signing secrets are sealed at rest with the
 * {@link SecretSealer}, for a context naming the tenant and the endpoint, so a sealed secret copied to another row
 * does not open there. Every time comes from the injected clock.
 */
public final class WebhookStore {

    private final Database database;
    private final SecretSealer sealer;
    private final Clock clock;

    private WebhookStore(Database database, SecretSealer sealer, Clock clock) {
        this.database = database;
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * The webhook store on {@code database}: brings the webhook tables up to date
     * ({@code database.migrate("webhooks")}) and writes the event catalogue from {@link EventType}, adding new types and updating descriptions.
     */
    public static WebhookStore create(Database database, SecretSealer sealer, Clock clock) {
        WebhookStore store = new WebhookStore(Objects.requireNonNull(database, "database"),
                Objects.requireNonNull(sealer, "sealer"), Objects.requireNonNull(clock, "clock"));
        database.migrate("webhooks");
        store.writeEventTypes();
        return store;
    }

    /** The event types endpoints can subscribe to, by name. */
    public List<EventTypeInfo> eventTypes() {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT name, description, created_at FROM irisx_webhook_event_types ORDER BY name");
                    ResultSet rs = select.executeQuery()) {
                List<EventTypeInfo> types = new ArrayList<>();
                while (rs.next()) {
                    types.add(new EventTypeInfo(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
                return types;
            }
        });
    }

    /** The tenant's endpoint {@code id}, if it has one. */
    public Optional<Endpoint> findEndpoint(TenantId tenant, EndpointId id) {
        requireTenant(tenant);
        Objects.requireNonNull(id, "id");
        return database.withConnection(connection -> EndpointRows.find(connection, tenant, id)
                .map(EndpointRows.Stored::endpoint));
    }

    /** The tenant's message {@code id}, if it has one. */
    public Optional<WebhookMessage> findMessage(TenantId tenant, MessageId id) {
        requireTenant(tenant);
        Objects.requireNonNull(id, "id");
        return database.withConnection(connection -> MessageRows.find(connection, tenant, id));
    }

    /**
     * The tenant's message {@code id} with its endpoint and the secrets to sign it with: the current one, then the
     * previous one while its rotation grace lasts. Empty when the message or its endpoint is gone (deleted).
     */
    public Optional<DeliveryTarget> loadForDelivery(TenantId tenant, MessageId id) {
        requireTenant(tenant);
        Objects.requireNonNull(id, "id");
        return database.withConnection(connection -> {
            Optional<WebhookMessage> message = MessageRows.find(connection, tenant, id);
            if (message.isEmpty()) {
                return Optional.empty();
            }
            return EndpointRows.find(connection, tenant, message.get().endpointId())
                    .map(stored -> new DeliveryTarget(message.get(), stored.endpoint(), openSecrets(tenant, stored)));
        });
    }

    /**
     * Logs an attempt of the tenant's message {@code messageId} and, in the same transaction, settles the message:
     * its new {@code status}, one more attempt, the attempt's time as the last attempt, and when the next is due; a
     * message SUCCEEDED to a live endpoint is metered there too, once (one {@link UsageUnit#WEBHOOK_DELIVERY} keyed
     * by its id); deliveries to a test endpoint are never metered.
     *
     * @param status the message's status after the attempt
     * @param nextAttemptAt when the next attempt is due: present exactly when {@code status} is
     *     {@link MessageStatus#PENDING}
     * @return the attempt as logged
     * @throws NotFoundException when the tenant has no such message
     */
    public WebhookAttempt recordAttempt(TenantId tenant, MessageId messageId, NewAttempt attempt, MessageStatus status,
            Optional<Instant> nextAttemptAt) {
        return recordAttempt(tenant, messageId, attempt, status, nextAttemptAt, connection -> null);
    }

    /**
     * As {@link #recordAttempt(TenantId, MessageId, NewAttempt, MessageStatus, Optional)}, and runs {@code also} in
     * the same transaction: the delivery engine emits the events an attempt causes there, so that they commit with it.
     */
    public WebhookAttempt recordAttempt(TenantId tenant, MessageId messageId, NewAttempt attempt, MessageStatus status,
            Optional<Instant> nextAttemptAt, Database.TransactionalWork<?> also) {
        Objects.requireNonNull(also, "also");
        requireTenant(tenant);
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if ((status == MessageStatus.PENDING) != nextAttemptAt.isPresent()) {
            throw new IllegalArgumentException("nextAttemptAt must be given exactly when the status is PENDING; status "
                    + status + ", nextAttemptAt " + nextAttemptAt);
        }
        return database.inTransaction(connection -> {
            WebhookMessage message = MessageRows.find(connection, tenant, messageId)
                    .orElseThrow(() -> new NotFoundException("message", messageId.value()));
            WebhookAttempt logged = new WebhookAttempt(AttemptId.generate(), messageId, message.endpointId(),
                    attempt.attemptedAt(), attempt.statusCode(), attempt.latency(), attempt.responseBody(),
                    attempt.error(), attempt.outcome(), attempt.requestUrl(), attempt.requestHeaders());
            AttemptRows.insert(connection, tenant, logged);
            MessageRows.settle(connection, tenant, messageId, status, attempt.attemptedAt(), nextAttemptAt);
            if (status == MessageStatus.SUCCEEDED && !testEndpoint(connection, tenant, message.endpointId())) {
                // Keyed by the message: a redelivered or replayed message that succeeds again is not billed again.
                Metering.record(connection, tenant, UsageUnit.WEBHOOK_DELIVERY, messageId.value(), 1,
                        attempt.attemptedAt());
            }
            also.run(connection);
            return logged;
        });
    }

    /**
     * Counts a failed delivery to the tenant's endpoint {@code id}: one more failure, and the failing run starting
     * now unless one is under way. The delivery engine disables the endpoint when the run grows too long.
     *
     * @return the endpoint as it now stands
     * @throws NotFoundException when the tenant has no such endpoint
     */
    public Endpoint markEndpointFailure(TenantId tenant, EndpointId id) {
        requireTenant(tenant);
        Objects.requireNonNull(id, "id");
        return database.inTransaction(connection -> {
            if (!EndpointRows.markFailure(connection, tenant, id, clock.instant())) {
                throw new NotFoundException("endpoint", id.value());
            }
            return EndpointRows.find(connection, tenant, id).orElseThrow().endpoint();
        });
    }

    /** Ends the failing run of the tenant's endpoint {@code id} after a successful delivery (nothing if none). */
    public void markEndpointSuccess(TenantId tenant, EndpointId id) {
        requireTenant(tenant);
        Objects.requireNonNull(id, "id");
        database.withConnection(connection -> {
            EndpointRows.markSuccess(connection, tenant, id);
            return null;
        });
    }

    /**
     * Disables the tenant's endpoint {@code id}, saying why; no message is delivered to it until it is enabled again.
     *
     * @return true when this call disabled it, false when it was disabled already
     * @throws NotFoundException when the tenant has no such endpoint
     */
    public boolean disableEndpoint(TenantId tenant, EndpointId id, String reason) {
        return disableEndpoint(tenant, id, reason, connection -> null);
    }

    /**
     * As {@link #disableEndpoint(TenantId, EndpointId, String)}, and, when this call disabled it, runs {@code also}
     * in the same transaction (the delivery engine emits {@code webhook.endpoint.disabled} there).
     */
    public boolean disableEndpoint(TenantId tenant, EndpointId id, String reason, Database.TransactionalWork<?> also) {
        requireTenant(tenant);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(also, "also");
        String checkedReason = checkReason(reason);
        return database.inTransaction(connection -> {
            boolean disabled = disable(connection, tenant, id, checkedReason);
            if (disabled) {
                also.run(connection);
            }
            return disabled;
        });
    }

    /** Disables inside the caller's transaction; see {@link #disableEndpoint}. */
    public boolean disable(Connection connection, TenantId tenant, EndpointId id, String reason) throws SQLException {
        if (EndpointRows.disable(connection, tenant, id, reason, clock.instant())) {
            return true;
        }
        if (EndpointRows.find(connection, tenant, id).isEmpty()) {
            throw new NotFoundException("endpoint", id.value());
        }
        return false;
    }

    @Override
    public String toString() {
        return "WebhookStore[" + database + "]";
    }

    public Database database() {
        return database;
    }

    public Clock clock() {
        return clock;
    }

    /** The names among {@code names} that are not in the event catalogue, sorted. */
    public Set<String> unknownEventTypes(Connection connection, Set<String> names) throws SQLException {
        Set<String> unknown = new TreeSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM irisx_webhook_event_types WHERE name = ?")) {
            for (String name : names) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        unknown.add(name);
                    }
                }
            }
        }
        return unknown;
    }

    public String seal(TenantId tenant, EndpointId id, WebhookSecret secret) {
        return sealer.seal(secret.reveal(), secretContext(tenant, id));
    }

    WebhookSecret open(TenantId tenant, EndpointId id, String sealed) {
        return WebhookSecret.parse(sealer.open(sealed, secretContext(tenant, id)));
    }

    public static String checkReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank() || reason.length() > EndpointRules.MAX_DESCRIPTION) {
            throw new IrisxValidationException("reason", reason, "must be 1-"
                    + EndpointRules.MAX_DESCRIPTION + " characters");
        }
        return reason;
    }

    private List<WebhookSecret> openSecrets(TenantId tenant, EndpointRows.Stored stored) {
        EndpointId id = stored.endpoint().id();
        List<WebhookSecret> secrets = new ArrayList<>(2);
        secrets.add(open(tenant, id, stored.sealedSecret()));
        Instant now = clock.instant();
        if (stored.sealedPrevious().isPresent() && stored.previousExpiresAt().filter(now::isBefore).isPresent()) {
            secrets.add(open(tenant, id, stored.sealedPrevious().get()));
        }
        return secrets;
    }

    /** Both of an endpoint's secret columns are sealed for this context, so rotation moves a value between them. */
    private static String secretContext(TenantId tenant, EndpointId id) {
        return "tenant:" + tenant.value() + "/webhook-endpoint:" + id.value() + "/secret";
    }

    private void writeEventTypes() {
        long now = clock.millis();
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE irisx_webhook_event_types SET description = ? WHERE name = ?");
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_webhook_event_types"
                            + " (name, description, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (EventType type : EventType.values()) {
                    update.setString(1, type.description());
                    update.setString(2, type.wireName());
                    if (update.executeUpdate() == 0) {
                        // Another process starting at the same time may insert it first; its row is the same.
                        insert.setString(1, type.wireName());
                        insert.setString(2, type.description());
                        insert.setLong(3, now);
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    private static boolean testEndpoint(Connection connection, TenantId tenant, EndpointId id) throws SQLException {
        return EndpointRows.find(connection, tenant, id).map(stored -> stored.endpoint().testMode()).orElse(false);
    }

    private static void requireTenant(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
    }
}
