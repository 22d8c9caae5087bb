package io.irisx.core.spi;

import io.irisx.core.event.EventSink;
import io.irisx.core.health.HealthCheck;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.secret.SecretSealer;
import io.irisx.core.store.Database;
import io.irisx.core.usage.PriceBook;
import java.time.Clock;
import java.util.Optional;

/**
 * What the runtime gives a module while it is {@linkplain IrisxModule#install installed}. Valid only during
 * {@code install}: the methods that add throw {@link IllegalStateException} once the runtime is built.
 */
public interface ModuleContext {

    /** The runtime's database, where the module migrates and keeps its tables. */
    Database database();

    /** The clock for every timestamp and delay. */
    Clock clock();

    /** Seals the secrets the module stores. */
    SecretSealer sealer();

    /** The runtime's outbox, to queue and work the module's channel. */
    Outbox outbox();

    /**
     * The runtime's rate limiter: a channel takes a token of the tenant's send limit when it accepts a send
     * ({@link RateLimiter#acquireSend}) and of its delivery limit before it hands a message to a provider
     * ({@link RateLimiter#tryAcquireDelivery}, putting the message off when refused).
     */
    RateLimiter rateLimiter();

    /**
     * The runtime's prices: a channel reserves a PREPAID tenant's price of a send from them
     * ({@link io.irisx.core.credit.SendCredit#reserve(java.sql.Connection, io.irisx.core.TenantId, PriceBook,
     * io.irisx.core.usage.UsageUnit, long, String, java.time.Instant)}).
     */
    PriceBook prices();

    /**
     * The runtime's event sink, to emit the module's events through: it hands each event to the host's sinks and to
     * every sink a module {@linkplain #addEventSink added}, in the emitter's transaction.
     */
    EventSink events();

    /** Hands every event emitted in the runtime to {@code sink} as well, from now on (webhooks' fan-out). */
    void addEventSink(EventSink sink);

    /** Adds {@code check} to the runtime's {@link io.irisx.core.Irisx#health() health}. */
    void addHealthCheck(HealthCheck check);

    /**
     * Closes {@code resource} (a worker) when the runtime closes: in the reverse order of registration, modules
     * installed later first, and all before the outbox and the database, so that work in progress finishes.
     */
    void onClose(AutoCloseable resource);

    /**
     * The Micrometer {@code MeterRegistry} the runtime was given ({@link io.irisx.core.Irisx.Builder#meterRegistry}),
     * to meter the module's work with; empty when the host meters nothing. It is typed {@code Object} so that a
     * module loads without Micrometer: cast it only once it is present, and not in a lambda or method reference
     * whose type names Micrometer's classes, as those are loaded when the lambda is made.
     */
    Optional<Object> meterRegistry();

    /** The module of {@code type} installed before this one, if any. */
    <M extends IrisxModule> Optional<M> module(Class<M> type);
}
