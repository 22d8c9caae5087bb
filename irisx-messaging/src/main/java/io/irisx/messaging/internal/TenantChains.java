package io.irisx.messaging.internal;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import io.irisx.core.tenant.Tenants;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The provider chains tenants store in their settings, as the channel workers read them. Not API. */
public final class TenantChains {

    private TenantChains() {
    }

    /** The chain {@code tenant} stored for {@code channel}, if any; read at each delivery. */
    public static Optional<List<String>> stored(Database database, TenantId tenant, Channel channel) {
        return database.withConnection(connection -> Tenants.storedSettings(connection, tenant))
                .flatMap(settings -> settings.providerChain(channel));
    }

    /** Why a message whose tenant's stored chain names providers this process has not registered fails. */
    public static String unregistered(TenantId tenant, Channel channel, List<String> chain, List<String> unknown,
            List<String> registered) {
        return "tenant " + tenant + "'s " + channel.name().toLowerCase(Locale.ROOT) + " provider chain " + chain
                + " (TenantSettings.providerChain) names " + unknown + ", not registered in this process ("
                + registered + "): register them or change the tenant's settings";
    }
}
