package io.irisx.core.ratelimit;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rate limits of a runtime: per tenant, channel and {@link Stage}, a default for every tenant and overrides for
 * some; immutable and thread-safe. Nothing is limited unless set. Each tenant has buckets of its own: one tenant's
 * sends never hold back another's.
 *
 * <pre>{@code
 * RateLimits limits = RateLimits.builder()
 *         .send(Channel.EMAIL, Limit.perSecond(100).burst(200))       // EmailClient.send, each tenant
 *         .delivery(Channel.SMS, Limit.perSecond(10))                  // handed to the SMS provider, each tenant
 *         .send(TenantId.of("bigco"), Channel.EMAIL, Limit.perSecond(1_000))
 *         .delivery(TenantId.of("bigco"), Channel.SMS, Limit.unlimited())
 *         .build();
 * Irisx irisx = Irisx.builder().rateLimits(limits)…build();
 * }</pre>
 */
public final class RateLimits {

    private static final RateLimits NONE = builder().build();

    /**
     * Where a limit holds. The two stages have buckets of their own: a send refused at {@link #SEND} stores nothing;
     * a delivery held back at {@link #DELIVERY} stays queued, and the queue drains at that rate.
     */
    public enum Stage {
        /**
         * Sends accepted from the host ({@code EmailClient.send}, {@code SmsClient.send}): over the limit, a send is
         * refused with {@link io.irisx.core.RateLimitedException} before anything is stored. It protects the host's
         * API and the queue from a tenant's flood.
         */
        SEND,
        /**
         * Messages handed to a provider by the channel's workers: over the limit, a queued message waits
         * ({@link io.irisx.core.outbox.Outcome#defer}) without using up a try, so a flood of queued work drains at
         * the rate the provider allows the tenant.
         */
        DELIVERY
    }

    private final Map<Stage, Map<Channel, Limit>> defaults;
    private final Map<TenantId, Map<Stage, Map<Channel, Limit>>> tenants;

    private RateLimits(Builder builder) {
        this.defaults = copy(builder.defaults);
        Map<TenantId, Map<Stage, Map<Channel, Limit>>> byTenant = new HashMap<>();
        builder.tenants.forEach((tenant, limits) -> byTenant.put(tenant, copy(limits)));
        this.tenants = Map.copyOf(byTenant);
    }

    /** No limits at all: the runtime's default. */
    public static RateLimits none() {
        return NONE;
    }

    /** A builder with no limits. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The limit on {@code tenant}'s {@code channel} at {@code stage}: the tenant's own when set, else the default
     * for every tenant; empty when there is none, or it is {@link Limit#unlimited()}.
     */
    public Optional<Limit> limit(TenantId tenant, Channel channel, Stage stage) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(stage, "stage");
        Limit own = tenants.getOrDefault(tenant, Map.of()).getOrDefault(stage, Map.of()).get(channel);
        Limit limit = own != null ? own : defaults.getOrDefault(stage, Map.of()).get(channel);
        return limit == null || limit.isUnlimited() ? Optional.empty() : Optional.of(limit);
    }

    /** Whether any limit is set, for any tenant. */
    public boolean isEmpty() {
        return defaults.isEmpty() && tenants.isEmpty();
    }

    @Override
    public String toString() {
        return "RateLimits[defaults " + defaults + ", tenants " + tenants + "]";
    }

    private static Map<Stage, Map<Channel, Limit>> copy(Map<Stage, Map<Channel, Limit>> limits) {
        Map<Stage, Map<Channel, Limit>> copied = new EnumMap<>(Stage.class);
        limits.forEach((stage, byChannel) -> copied.put(stage, Map.copyOf(byChannel)));
        return Map.copyOf(copied);
    }

    /** Builds {@link RateLimits}; each setter checks its value at once, the last one set for a place wins. Not thread-safe. */
    public static final class Builder {
        private final Map<Stage, Map<Channel, Limit>> defaults = new EnumMap<>(Stage.class);
        private final Map<TenantId, Map<Stage, Map<Channel, Limit>>> tenants = new HashMap<>();

        private Builder() {
        }

        /** Every tenant's limit on accepted sends on {@code channel}, unless the tenant has its own. */
        public Builder send(Channel channel, Limit limit) {
            return limit(Stage.SEND, channel, limit);
        }

        /** Every tenant's limit on messages handed to {@code channel}'s provider, unless the tenant has its own. */
        public Builder delivery(Channel channel, Limit limit) {
            return limit(Stage.DELIVERY, channel, limit);
        }

        /** {@code tenant}'s own limit on accepted sends on {@code channel}; {@link Limit#unlimited()} for none. */
        public Builder send(TenantId tenant, Channel channel, Limit limit) {
            return limit(tenant, Stage.SEND, channel, limit);
        }

        /** {@code tenant}'s own limit on messages handed to {@code channel}'s provider; unlimited for none. */
        public Builder delivery(TenantId tenant, Channel channel, Limit limit) {
            return limit(tenant, Stage.DELIVERY, channel, limit);
        }

        /** Every tenant's limit on {@code channel} at {@code stage}, unless the tenant has its own. */
        public Builder limit(Stage stage, Channel channel, Limit limit) {
            put(defaults, stage, channel, limit);
            return this;
        }

        /** {@code tenant}'s own limit on {@code channel} at {@code stage}; {@link Limit#unlimited()} for none. */
        public Builder limit(TenantId tenant, Stage stage, Channel channel, Limit limit) {
            Objects.requireNonNull(tenant, "tenant");
            put(tenants.computeIfAbsent(tenant, t -> new EnumMap<>(Stage.class)), stage, channel, limit);
            return this;
        }

        private static void put(Map<Stage, Map<Channel, Limit>> limits, Stage stage, Channel channel, Limit limit) {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(limit, "limit");
            limits.computeIfAbsent(stage, s -> new EnumMap<>(Channel.class)).put(channel, limit);
        }

        /** The limits; the builder is left as it is. */
        public RateLimits build() {
            return new RateLimits(this);
        }
    }
}
