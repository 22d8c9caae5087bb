package io.irisx.messaging.internal;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import io.irisx.core.tenant.Tenants;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The provider chains tenants store in their settings for one channel, as its workers read them; thread-safe, one
 * per sender. Not API.
 *
 * <p>A tenant's stored chain is read from the database at most once every {@value #CACHE_SECONDS} seconds (by the
 * clock given) and kept in between, so that a delivery does not read the settings row each time. A change made in
 * this process applies at once: the runtime tells the module ({@link io.irisx.core.spi.IrisxModule#settingsChanged}),
 * which calls {@link #forget}. A change made by another process on the database applies here within
 * {@value #CACHE_SECONDS} seconds.
 */
public final class TenantChains {

    /** How long a tenant's stored chain is kept before it is read again. */
    public static final int CACHE_SECONDS = 5;

    private final Database database;
    private final Channel channel;
    private final Clock clock;
    private final ConcurrentMap<TenantId, Kept> kept = new ConcurrentHashMap<>();

    /** A tenant's stored chain (empty: none stored), kept until {@code until} (epoch millis). */
    private record Kept(Optional<List<String>> chain, long until) {
    }

    private TenantChains(Database database, Channel channel, Clock clock) {
        this.database = database;
        this.channel = channel;
        this.clock = clock;
    }

    /** The stored chains of {@code channel} in {@code database}, kept by {@code clock}'s time. */
    public static TenantChains of(Database database, Channel channel, Clock clock) {
        return new TenantChains(Objects.requireNonNull(database, "database"), Objects.requireNonNull(channel,
                "channel"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The chain {@code tenant} stored for the channel, if any: as kept, or read again when what is kept is older
     * than {@value #CACHE_SECONDS} seconds.
     */
    public Optional<List<String>> stored(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        long now = clock.millis();
        Kept current = kept.get(tenant);
        if (current != null && now < current.until()) {
            return current.chain();
        }
        Optional<List<String>> read = database.withConnection(connection -> Tenants.storedSettings(connection, tenant))
                .flatMap(settings -> settings.providerChain(channel));
        kept.put(tenant, new Kept(read, now + CACHE_SECONDS * 1000L));
        return read;
    }

    /** Forgets what is kept for {@code tenant}, so that its next delivery reads its stored chain again. */
    public void forget(TenantId tenant) {
        kept.remove(Objects.requireNonNull(tenant, "tenant"));
    }

    /** Why a message whose tenant's stored chain names providers this process has not registered fails. */
    public static String unregistered(TenantId tenant, Channel channel, List<String> chain, List<String> unknown,
            List<String> registered) {
        return "tenant " + tenant + "'s " + channel.name().toLowerCase(Locale.ROOT) + " provider chain " + chain
                + " (TenantSettings.providerChain) names " + unknown + ", not registered in this process ("
                + registered + "): register them or change the tenant's settings";
    }

    @Override
    public String toString() {
        return "TenantChains[" + channel + ", " + kept.size() + " kept]";
    }
}
