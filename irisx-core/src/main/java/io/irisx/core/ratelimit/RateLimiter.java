package io.irisx.core.ratelimit;

import io.irisx.core.Channel;
import io.irisx.core.RateLimitedException;
import io.irisx.core.TenantId;
import io.irisx.core.internal.ClockTimeMeter;
import io.irisx.core.internal.RateBuckets;
import io.irisx.core.internal.RateLimitMeters;
import io.irisx.core.internal.ThrottledLog;
import io.irisx.core.ratelimit.RateLimits.Stage;
import io.irisx.core.store.Database;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.tenant.Tenants;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds each tenant to its {@link RateLimits}: token buckets (Bucket4j) per tenant, channel and {@link Stage};
 * thread-safe, one per runtime ({@code irisx.rateLimiter()}), given to the modules through
 * {@link io.irisx.core.spi.ModuleContext#rateLimiter()}.
 *
 * <p>The channels ask it twice, each stage with buckets of its own: {@link #acquireSend} when a send is accepted
 * (over the limit, {@link RateLimitedException} before anything is stored), and {@link #tryAcquireDelivery} when a
 * worker is about to hand a message to the provider (over the limit, the worker puts the message off without using
 * up a try). A send limit protects the host's API; a delivery limit makes a flood of queued work drain at the rate
 * the provider allows. Every call takes one token; a send repeated with its idempotency key takes one too.
 *
 * <p>On PostgreSQL the buckets are rows of {@code irisx_rate_limit_buckets}, each token taken in a transaction that
 * locks its row (Bucket4j's PostgreSQL backend), so the limits hold across every process on the database, as long as
 * their clocks agree. On H2 (the embedded default, one process) they are Bucket4j's buckets in memory. Buckets that
 * are full again are dropped every 10 minutes, so idle tenants cost nothing.
 *
 * <p>A delivery refused is told when to come back in turn: the refused deliveries of one tenant and channel are
 * spaced one token's time apart, so that a backlog of thousands comes due about as fast as tokens come back instead
 * of all at once, again and again. Each process spaces its own.
 *
 * <p>With {@linkplain Builder#storedSettings stored settings} (as the runtime builds it), a tenant's own limits in its
 * {@linkplain io.irisx.core.tenant.TenantSettings settings} win over the {@link RateLimits}, for that channel and
 * stage: stored settings, then the limits' tenant overrides, then their defaults. They are read from the database
 * and kept {@value #SETTINGS_SECONDS} seconds; a change made in this process applies at once, one made in another
 * process within that time.
 *
 * <p>Each refusal is logged at DEBUG; a tenant over a limit is logged at WARN at most once a minute per channel and
 * stage; with a meter registry, {@code irisx.rate.limited} counts refusals by {@code channel} and {@code stage}.
 */
public final class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);
    /** How long a tenant's stored limits are kept before they are read again. */
    public static final int SETTINGS_SECONDS = 5;

    /** The keys of the buckets checked so far, one per tenant, channel, stage and limit. */
    private final Map<BucketOf, String> keys = new ConcurrentHashMap<>();
    private final RateLimits limits;
    private final Clock clock;
    private final ClockTimeMeter time;
    private final RateBuckets buckets;
    private final RateLimitMeters meters;
    private final ThrottledLog warnings = ThrottledLog.of(log, 1);
    /** Per bucket key, when the next delivery refused there may come back (epoch nanoseconds). */
    private final ConcurrentMap<String, Long> turns = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;
    private final Database database;
    private final boolean storedSettings;
    /** Per tenant, its stored limits and until when (epoch millis) they are kept. */
    private final ConcurrentMap<TenantId, Stored> stored = new ConcurrentHashMap<>();

    private RateLimiter(Builder builder) {
        this.limits = builder.limits;
        this.clock = builder.clock;
        this.time = new ClockTimeMeter(clock);
        this.buckets = RateBuckets.of(builder.database, clock);
        this.meters = RateLimitMeters.of(builder.meterRegistry);
        this.nextSweep = new AtomicLong(clock.millis() + SWEEP_EVERY.toMillis());
        this.database = builder.database;
        this.storedSettings = builder.storedSettings;
    }

    /** A tenant's stored limits, kept until {@code until}. */
    private record Stored(TenantSettings settings, long until) {
    }

    /** A builder of the limiter for {@code database}'s processes: no limits and the system clock unless set. */
    public static Builder builder(Database database) {
        return new Builder(database);
    }

    /** The limits it holds tenants to, before each tenant's stored settings. */
    public RateLimits limits() {
        return limits;
    }

    /**
     * The limit {@code tenant} is held to on {@code channel} at {@code stage}: its stored setting when it has one
     * (and the limiter reads {@linkplain Builder#storedSettings stored settings}), else {@link #limits()}'s; empty
     * when there is none, or it is {@link Limit#unlimited()}.
     *
     * @throws io.irisx.core.store.StoreException when the database holding the settings fails
     */
    public Optional<Limit> limit(TenantId tenant, Channel channel, Stage stage) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(stage, "stage");
        if (storedSettings) {
            Optional<Limit> own = settings(tenant).limit(stage, channel);
            if (own.isPresent()) {
                return own.filter(limit -> !limit.isUnlimited());
            }
        }
        return limits.limit(tenant, channel, stage);
    }

    /**
     * Forgets the stored limits kept for {@code tenant}, so that its next check reads them again; the runtime's
     * {@link io.irisx.core.tenant.Tenants#updateSettings} calls it once a change commits.
     */
    public void settingsChanged(TenantId tenant) {
        stored.remove(Objects.requireNonNull(tenant, "tenant"));
    }

    private TenantSettings settings(TenantId tenant) {
        long now = clock.millis();
        Stored kept = stored.get(tenant);
        if (kept != null && kept.until() > now) {
            return kept.settings();
        }
        TenantSettings read = database.withConnection(connection -> Tenants.storedSettings(connection, tenant))
                .orElse(TenantSettings.defaults());
        stored.put(tenant, new Stored(read, now + SETTINGS_SECONDS * 1000L));
        return read;
    }

    /**
     * Takes a token for one send of {@code tenant} on {@code channel}, at the {@link Stage#SEND} stage; does
     * nothing when the tenant has no send limit there.
     *
     * @throws RateLimitedException when the tenant's bucket is empty, with how long until a token is back (whole
     *     milliseconds, at least 1)
     * @throws io.irisx.core.store.StoreException when the database holding the buckets fails
     */
    public void acquireSend(TenantId tenant, Channel channel) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(channel, "channel");
        Optional<Limit> limit = limit(tenant, channel, Stage.SEND);
        if (limit.isEmpty()) {
            return;
        }
        ConsumptionProbe probe = take(key(tenant, channel, Stage.SEND, limit.get()), tenant, limit.get());
        if (!probe.isConsumed()) {
            Duration retryAfter = roundUp(probe.getNanosToWaitForRefill());
            refused(tenant, channel, Stage.SEND, limit.get(), retryAfter);
            throw new RateLimitedException("tenant " + tenant + ": " + what(channel, Stage.SEND) + ", " + limit.get(),
                    retryAfter);
        }
    }

    /**
     * Asks for a token to hand one message of {@code tenant} to {@code channel}'s provider, at the
     * {@link Stage#DELIVERY} stage: granted when the tenant has a token there (or no delivery limit), else refused
     * with how long to put the message off — its turn among the deliveries refused before it.
     *
     * @throws io.irisx.core.store.StoreException when the database holding the buckets fails
     */
    public Decision tryAcquireDelivery(TenantId tenant, Channel channel) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(channel, "channel");
        Optional<Limit> limit = limit(tenant, channel, Stage.DELIVERY);
        if (limit.isEmpty()) {
            return Decision.GRANTED;
        }
        String key = key(tenant, channel, Stage.DELIVERY, limit.get());
        ConsumptionProbe probe = take(key, tenant, limit.get());
        if (probe.isConsumed()) {
            return Decision.GRANTED;
        }
        Duration retryAfter = turn(key, probe.getNanosToWaitForRefill(), limit.get());
        refused(tenant, channel, Stage.DELIVERY, limit.get(), retryAfter);
        return Decision.refused(retryAfter);
    }

    private ConsumptionProbe take(String key, TenantId tenant, Limit limit) {
        sweepWhenDue();
        return buckets.tryConsume(key, tenant.value(), limit);
    }

    /**
     * When a delivery refused now, whose bucket has a token in {@code waitNanos}, may come back: after the turns of
     * those refused before it, one token's time apart.
     */
    private Duration turn(String key, long waitNanos, Limit limit) {
        long now = time.currentTimeNanos();
        long interval = limit.interval().toNanos();
        long[] at = new long[1];
        turns.compute(key, (k, next) -> {
            long earliest = now + waitNanos;
            at[0] = next == null || next < earliest ? earliest : next;
            return at[0] + interval;
        });
        return roundUp(at[0] - now);
    }

    private void refused(TenantId tenant, Channel channel, Stage stage, Limit limit, Duration retryAfter) {
        meters.limited(channel, stage);
        String what = what(channel, stage);
        log.debug("irisx: {} of tenant {} over its limit ({}); {} {} ms", what, tenant, limit,
                stage == Stage.SEND ? "refused, retry after" : "put off by", retryAfter.toMillis());
        warnings.warn("rate-limited:" + stage + ":" + channel + ":" + tenant, "irisx: tenant {} is over its {} limit"
                + " ({}): {}", tenant, what, limit, stage == Stage.SEND ? "sends are refused with RateLimitedException"
                        : "deliveries wait their turn");
    }

    /** Drops full buckets and past turns once every 10 minutes, on the call that finds it due. */
    private void sweepWhenDue() {
        long now = clock.millis();
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + SWEEP_EVERY.toMillis())) {
            return;
        }
        try {
            long nanos = time.currentTimeNanos();
            turns.entrySet().removeIf(turn -> turn.getValue() <= nanos);
            long millis = clock.millis();
            stored.entrySet().removeIf(kept -> kept.getValue().until() <= millis);
            int dropped = buckets.sweep();
            log.debug("irisx: rate limiter dropped {} full bucket(s)", dropped);
        } catch (RuntimeException e) {
            log.warn("irisx: dropping full rate-limit buckets failed; trying again in {} min: {}",
                    SWEEP_EVERY.toMinutes(), e.toString());
        }
    }

    /**
     * The bucket's key: the stage, channel, limit and tenant, as {@code send:email:100/PT1S:200:acme}. A changed limit
     * makes a new bucket (the old one is dropped once full), so processes started with different limits never
     * overwrite each other's bucket.
     */
    private String key(TenantId tenant, Channel channel, Stage stage, Limit limit) {
        return keys.computeIfAbsent(new BucketOf(tenant, channel, stage, limit), of -> stage.name()
                .toLowerCase(Locale.ROOT) + ":" + channel.name().toLowerCase(Locale.ROOT) + ":" + limit.tokens() + "/"
                + limit.period() + ":" + limit.burst() + ":" + tenant.value());
    }

    /** What a bucket's key is made of; its text is built once per bucket, not on every check. */
    private record BucketOf(TenantId tenant, Channel channel, Stage stage, Limit limit) {
    }

    private static String what(Channel channel, Stage stage) {
        return channel.name().toLowerCase(Locale.ROOT) + (stage == Stage.SEND ? " sends" : " deliveries");
    }

    /** {@code nanos} rounded up to whole milliseconds, at least 1. */
    private static Duration roundUp(long nanos) {
        return Duration.ofMillis(Math.max(1, (nanos + 999_999) / 1_000_000));
    }

    @Override
    public String toString() {
        return "RateLimiter[" + buckets + ", " + limits + "]";
    }

    /**
     * The answer to {@link #tryAcquireDelivery}: granted, or refused with how long to put the message off.
     *
     * @param granted whether the message may be handed to the provider now
     * @param retryAfter when refused, how long to put it off (whole milliseconds, at least 1); zero when granted
     */
    public record Decision(boolean granted, Duration retryAfter) {

        /** A granted decision. */
        public static final Decision GRANTED = new Decision(true, Duration.ZERO);

        /** Checks that a granted decision waits for nothing and a refused one for some time. */
        public Decision {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (granted != retryAfter.isZero() || retryAfter.isNegative()) {
                throw new IllegalArgumentException("a granted decision has no retryAfter and a refused one a positive"
                        + " one; was granted=" + granted + ", retryAfter=" + retryAfter);
            }
        }

        /** A refusal, to come back after {@code retryAfter}. */
        public static Decision refused(Duration retryAfter) {
            return new Decision(false, retryAfter);
        }
    }

    /** Builds a {@link RateLimiter}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Database database;
        private RateLimits limits = RateLimits.none();
        private Clock clock = Clock.systemUTC();
        /** A Micrometer MeterRegistry, kept as an Object so that the limiter loads without Micrometer. */
        private Object meterRegistry;
        private boolean storedSettings;

        private Builder(Database database) {
            this.database = Objects.requireNonNull(database, "database");
        }

        /** The limits (default {@link RateLimits#none()}). */
        public Builder limits(RateLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The clock buckets refill by (default the system clock); every process sharing buckets must agree on it. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Counts refusals in {@code registry} (Micrometer, optional): {@code irisx.rate.limited}. */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Holds each tenant to the limits of its stored {@linkplain io.irisx.core.tenant.TenantSettings settings} too,
         * which win over {@link #limits}: read from {@code irisx_tenant_settings} (the core migration must have run)
         * and kept {@value RateLimiter#SETTINGS_SECONDS} seconds. The runtime's limiter does (default: off).
         */
        public Builder storedSettings() {
            this.storedSettings = true;
            return this;
        }

        /** The limiter; on PostgreSQL, its table must be migrated ({@code database.migrate("core")}). */
        public RateLimiter build() {
            return new RateLimiter(this);
        }
    }
}
