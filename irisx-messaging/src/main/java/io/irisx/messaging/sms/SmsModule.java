package io.irisx.messaging.sms;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import io.irisx.core.store.Jdbc;
import io.irisx.messaging.internal.SendServices;
import io.irisx.messaging.internal.SenderModuleBuilder;
import io.irisx.messaging.internal.SenderSettings;
import io.irisx.messaging.sms.internal.SmsSender;
import io.irisx.messaging.sms.internal.SmsStore;
import io.irisx.messaging.sms.spi.SmsProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The SMS and MMS channel, installed into the runtime with
 * {@code Irisx.builder().install(SmsModule.builder()…build())}: it migrates the SMS tables, and, unless
 * {@linkplain Builder#sendOnly() send-only}, works the outbox's SMS channel in this process, sending each message
 * through its tenant's provider chain (a worker the runtime stops when it closes, whose provider circuits are a
 * check of the runtime's health and, with a meter registry, metered).
 * Each tenant's messages are reached with {@link SmsClient#of(io.irisx.core.Tenant)}. Thread-safe once installed.
 */
public final class SmsModule implements IrisxModule {

    private final Builder settings;
    private volatile Installed installed;

    /** The worker of this module, once installed, unless send-only. */
    private volatile SmsSender sender;

    private SmsModule(Builder settings) {
        this.settings = settings;
    }

    /** A builder; give it the providers, or make the process {@linkplain Builder#sendOnly() send-only}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "sms";
    }

    /** Deletes the tenant's rows of this module's tables. */
    @Override
    public void deleteTenant(Connection connection, TenantId tenant) throws SQLException {
        Jdbc.deleteTenantRows(connection, tenant, "irisx_sms_status_history", "irisx_sms_inbound",
                "irisx_sms_opt_outs", "irisx_sms_messages");
    }

    /**
     * Refuses settings whose SMS provider chain names a provider not registered here (naming
     * {@code providerChain.sms}; a send-only module cannot tell, and accepts it).
     */
    @Override
    public void checkSettings(TenantId tenant, TenantSettings tenantSettings) {
        settings.checkSettings(tenantSettings);
    }

    /**
     * Forgets the SMS provider chain the worker keeps for {@code tenant}, whose settings this process changed: its next
     * message reads the stored chain again. Another process's change applies within
     * {@value io.irisx.messaging.internal.TenantChains#CACHE_SECONDS} seconds.
     */
    @Override
    public void settingsChanged(TenantId tenant) {
        SmsSender current = sender;
        if (current != null) {
            current.settingsChanged(tenant);
        }
    }

    @Override
    public synchronized void install(ModuleContext context) {
        if (installed != null) {
            throw new IllegalStateException("this SmsModule is installed already: build one for each runtime");
        }
        SmsStore store = SmsStore.create(context.database(), context.clock(), context.events());
        settings.start(context, sender -> {
            SmsSender started = SmsSender.start(store, sender, context.outbox());
            this.sender = started;
            return started;
        });
        installed = new Installed(store, context.outbox(), SendServices.of(context));
    }

    /** {@code tenant}'s client, in test mode when {@code test}. */
    SmsClient client(TenantId tenant, boolean test) {
        Installed current = installed;
        if (current == null) {
            throw new IllegalStateException("this SmsModule is not installed: Irisx.builder().install(module)");
        }
        return settings.clients.build(current.store(), current.outbox(), tenant,
                current.services(), test);
    }

    @Override
    public String toString() {
        return "SmsModule[" + settings + "]";
    }

    private record Installed(SmsStore store, Outbox outbox, SendServices services) {
    }

    /** Builds an {@link SmsModule}; each setter checks its value at once. Not thread-safe; build once. */
    public static final class Builder extends SenderModuleBuilder<SmsProvider, Builder> {
        private final SmsClient.Builder clients = SmsClient.builder();

        private Builder() {
            super("SMS", SmsProvider::name);
        }

        @Override
        protected Builder self() {
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
         * The module.
         *
         * @throws IllegalStateException when no provider is registered and the module is not send-only, when a
         *     send-only module is given providers, or when a chain names a provider that is not registered
         */
        public SmsModule build() {
            check();
            return new SmsModule(this);
        }

        private void checkSettings(TenantSettings tenantSettings) {
            checkChain(tenantSettings, Channel.SMS);
        }

        private void start(ModuleContext context, Function<SenderSettings<SmsProvider>, SmsSender> start) {
            startWorker(context, start);
        }
    }
}
