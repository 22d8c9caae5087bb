package io.irisx.webhooks.endpoint;

import io.irisx.core.TenantId;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import io.irisx.core.store.Jdbc;
import io.irisx.webhooks.delivery.WebhookDispatcher;
import io.irisx.webhooks.internal.delivery.DeliveryEngine;
import io.irisx.webhooks.internal.store.WebhookEventSink;
import io.irisx.webhooks.internal.store.WebhookStore;
import io.irisx.webhooks.ssrf.SsrfGuard;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Webhooks to the tenants' own customers, installed into the runtime with
 * {@code Irisx.builder().install(WebhooksModule.builder()…build())}: it migrates the webhook tables, makes every
 * event the runtime emits ({@code email.sent}, {@code sms.delivered}, {@code message.dead_lettered}, …) fan out to
 * the tenant's endpoints subscribed to its type, in the emitter's transaction, and, unless
 * {@linkplain Builder#sendOnly() send-only}, runs the delivery engine in this process on the outbox's
 * WEBHOOKS channel (stopped when the runtime closes, metered with the runtime's meter registry). The same
 * {@link SsrfGuard} checks URLs at registration and addresses at delivery. Each tenant's endpoints are reached with
 * {@link WebhookEndpoints#of(io.irisx.core.Tenant)}. Thread-safe once installed.
 */
public final class WebhooksModule implements IrisxModule {

    private final Builder settings;
    private volatile Installed installed;

    private WebhooksModule(Builder settings) {
        this.settings = settings;
    }

    /** A builder holding the defaults: public addresses only, the Standard Webhooks retry schedule. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "webhooks";
    }

    /** Deletes the tenant's rows of this module's tables. */
    @Override
    public void deleteTenant(Connection connection, TenantId tenant) throws SQLException {
        Jdbc.deleteTenantRows(connection, tenant, "irisx_webhook_attempts", "irisx_webhook_messages",
                "irisx_webhook_endpoints");
    }

    @Override
    public synchronized void install(ModuleContext context) {
        if (installed != null) {
            throw new IllegalStateException("this WebhooksModule is installed already: build one for each runtime");
        }
        WebhookStore store = WebhookStore.create(context.database(), context.sealer(), context.clock());
        SsrfGuard guard = SsrfGuard.create(settings.ssrfPolicy);
        context.addEventSink(WebhookEventSink.create(store, context.outbox()));
        if (!settings.sendOnly) {
            // The engine owns the dispatcher it is given here, and closes it with itself.
            DeliveryEngine.Builder engine = settings.engine.clock(context.clock()).events(context.events())
                    .dispatcher(settings.dispatcher.ssrfGuard(guard).clock(context.clock()).build());
            Optional<Object> registry = context.meterRegistry();
            if (registry.isPresent()) {
                // Cast only here: without a registry, Micrometer's classes are never loaded.
                engine.meterRegistry((io.micrometer.core.instrument.MeterRegistry) registry.get());
            }
            context.onClose(engine.start(store, context.outbox()));
        }
        installed = new Installed(store, context.outbox(), guard);
    }

    /** {@code tenant}'s endpoints. */
    WebhookEndpoints endpoints(TenantId tenant) {
        Installed current = installed;
        if (current == null) {
            throw new IllegalStateException("this WebhooksModule is not installed: Irisx.builder().install(module)");
        }
        return WebhookEndpoints.forTenant(tenant, current.store(), current.outbox(), current.guard());
    }

    @Override
    public String toString() {
        return "WebhooksModule[" + (settings.sendOnly ? "send-only" : "delivering") + ", " + settings.ssrfPolicy + "]";
    }

    private record Installed(WebhookStore store, Outbox outbox, SsrfGuard guard) {
    }

    /** Builds a {@link WebhooksModule}; each setter checks its value at once. Not thread-safe; build once. */
    public static final class Builder {
        private final DeliveryEngine.Builder engine = DeliveryEngine.builder();
        private final WebhookDispatcher.Builder dispatcher = WebhookDispatcher.builder();
        private SsrfPolicy ssrfPolicy = SsrfPolicy.defaults();
        private boolean sendOnly;

        private Builder() {
        }

        /**
         * Which addresses endpoints may have (default {@link SsrfPolicy#defaults()}: public addresses only, http and
         * https), checked at registration and at every delivery.
         */
        public Builder ssrfPolicy(SsrfPolicy ssrfPolicy) {
            this.ssrfPolicy = Objects.requireNonNull(ssrfPolicy, "ssrfPolicy");
            return this;
        }

        /** When to try a failed message again (default {@link RetryPolicy#longSchedule()}, about 27.5 hours). */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            engine.retryPolicy(retryPolicy);
            return this;
        }

        /** How long an endpoint may fail without a success before it is disabled, 1 minute to 90 days (default 5 days). */
        public Builder autoDisableAfter(Duration autoDisableAfter) {
            engine.autoDisableAfter(autoDisableAfter);
            return this;
        }

        /** The fewest failures in a row before an endpoint is disabled, 1 to 1,000,000 (default 10). */
        public Builder autoDisableMinFailures(int autoDisableMinFailures) {
            engine.autoDisableMinFailures(autoDisableMinFailures);
            return this;
        }

        /** Deliveries in flight at once in this process, 1 to 1024 (default 32). */
        public Builder concurrency(int concurrency) {
            engine.concurrency(concurrency);
            return this;
        }

        /** How long connecting to an endpoint may take (default 5 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            dispatcher.connectTimeout(connectTimeout);
            return this;
        }

        /** How long one delivery may take in all: connecting, sending and reading the answer (default 15 s). */
        public Builder callTimeout(Duration callTimeout) {
            dispatcher.callTimeout(callTimeout);
            return this;
        }

        /**
         * This process fans events out and manages endpoints, but delivers nothing: another process, without this
         * setting, runs the delivery engine.
         */
        public Builder sendOnly() {
            this.sendOnly = true;
            return this;
        }

        /** The module. */
        public WebhooksModule build() {
            return new WebhooksModule(this);
        }
    }
}
