package io.irisx.core;

import io.irisx.core.event.EventSink;
import io.irisx.core.health.Health;
import io.irisx.core.health.HealthCheck;
import io.irisx.core.internal.MeteredOutbox;
import io.irisx.core.outbox.Backlog;
import io.irisx.core.outbox.Backlog.ChannelBacklog;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.secret.SecretSealer;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.store.Database;
import io.irisx.core.tenant.ApiKey;
import io.irisx.core.tenant.ApiKeyAuthenticator;
import io.irisx.core.tenant.Tenants;
import io.irisx.core.usage.PriceBook;
import io.irisx.core.usage.PriceList;
import io.irisx.core.usage.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IRISX runtime inside a host application: its database, outbox, clock, secret sealer, event sink, and the
 * modules installed into it (email, SMS, webhooks). Thread-safe; build one per process, share it, and close it on
 * shutdown. A host reaches everything per tenant: {@code Tenant acme = irisx.tenant("acme")}, then each module's
 * entry point, such as {@code EmailClient.of(acme)}.
 *
 * <p>A host must close the runtime ({@link #close()}, e.g. from its shutdown hook or container's stop): closing
 * stops the modules' workers (finishing the deliveries in progress), then the outbox (relaying what is still
 * unpublished), then releases the pool. IRISX's own threads (outbox workers and relays, the NATS connection a
 * JetStream outbox opens) are daemon threads, so a host that forgets still exits, but deliveries in progress are
 * then cut off and retried later. After {@code close()} every call that reaches the database throws
 * {@link IllegalStateException}.
 *
 * <p>With nothing configured it runs on embedded defaults: an H2 file database under {@code ./irisx-data}, the
 * {@link JdbcOutbox} on it, and a sealing key generated and kept beside the database. The embedded database writes
 * each commit to its file before the commit returns, so what {@code Outbox.publish} confirmed survives the JVM being
 * killed; it does not force the file to the disk, so a power cut may lose the last commits the operating system had
 * not yet written. In production, give it the host's {@link DataSource} (PostgreSQL), a JetStream outbox from
 * irisx-queue and real sealing keys.
 *
 * <pre>{@code
 * try (Irisx irisx = Irisx.builder()
 *         .install(EmailModule.builder().provider(postmark).build())
 *         .build()) {
 *     Tenant acme = irisx.tenant("acme");
 *     EmailClient.of(acme).send(message);
 * }
 * }</pre>
 */
public final class Irisx implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Irisx.class);

    private final Database database;
    private final Clock clock;
    private final Outbox outbox;
    private final SecretSealer sealer;
    private final RuntimeEvents events;
    private final Duration maxLag;
    private final List<HealthCheck> healthChecks = new CopyOnWriteArrayList<>();
    private final InstalledModules modules;
    private final Tenants tenants;
    private final ApiKeyAuthenticator apiKeys;
    private final RateLimiter rateLimiter;
    private final PriceBook prices;
    private volatile boolean closed;

    private Irisx(Database database, Clock clock, Outbox outbox, SecretSealer sealer, RuntimeEvents events,
            Duration maxLag, RateLimiter rateLimiter, Object meterRegistry, PriceList priceList) {
        this.maxLag = maxLag;
        this.database = database;
        this.clock = clock;
        this.outbox = outbox;
        this.sealer = sealer;
        this.events = events;
        this.rateLimiter = rateLimiter;
        this.prices = new PriceBook(database, clock, priceList);
        this.modules = new InstalledModules(new InstalledModules.Runtime(database, clock, sealer, outbox, events,
                rateLimiter, prices, this::addHealthCheck, meterRegistry));
        this.tenants = new Tenants(database, clock, modules::all, this::settingsChanged);
        this.apiKeys = new ApiKeyAuthenticator(database, clock, (id, mode) -> new Tenant(this, id, mode));
    }

    /** Tells the rate limiter and every installed module that {@code tenant}'s settings changed in this process. */
    private void settingsChanged(TenantId tenant) {
        rateLimiter.settingsChanged(tenant);
        for (IrisxModule module : modules.all()) {
            try {
                module.settingsChanged(tenant);
            } catch (RuntimeException e) {
                log.warn("irisx: module {} failed to take the settings change of tenant {}", module.name(), tenant,
                        e);
            }
        }
    }

    /** A builder holding the embedded defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The tenants the host registered: create, list, suspend, resume, delete. */
    public Tenants tenants() {
        requireOpen();
        return tenants;
    }

    /** Checks the API keys presented to the host's API; each tenant's keys are {@link Tenant#apiKeys()}. */
    public ApiKeyAuthenticator apiKeys() {
        requireOpen();
        return apiKeys;
    }

    /**
     * Holds tenants to the {@linkplain Builder#rateLimits rate limits}: the installed channels ask it at each send
     * and before each delivery; a host may ask it too, for its own channels.
     */
    public RateLimiter rateLimiter() {
        requireOpen();
        return rateLimiter;
    }

    /**
     * The prices of metered usage: the {@linkplain Builder#prices price list} the runtime was built with, and the
     * versions set since, for every tenant and for each; each tenant's costs are {@link Tenant#usage()}.
     */
    public PriceBook prices() {
        requireOpen();
        return prices;
    }

    /** The metered usage of {@code tenant}, for {@link Tenant#usage()}. */
    Usage usage(TenantId tenant) {
        requireOpen();
        return new Usage(database, prices, tenant);
    }

    /**
     * The live view of this runtime for one tenant: everything reached through it is that tenant's alone. For the
     * view of a request's API key, in the key's mode, take {@code irisx.apiKeys().authenticate(key).tenant()}; for a
     * view in test mode, {@link Tenant#testMode()}.
     */
    public Tenant tenant(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        requireOpen();
        return new Tenant(this, tenant, ApiKey.Mode.LIVE);
    }

    /** As {@link #tenant(TenantId)}, with the tenant id checked from text. */
    public Tenant tenant(String tenant) {
        return tenant(TenantId.of(tenant));
    }

    /** The database IRISX stores in. */
    public Database database() {
        return database;
    }

    /** The clock every IRISX timestamp and delay is taken from. */
    public Clock clock() {
        return clock;
    }

    /** The durable queue between sends and workers. */
    public Outbox outbox() {
        return outbox;
    }

    /** Seals and opens the secrets IRISX stores (webhook secrets, provider keys). */
    public SecretSealer sealer() {
        return sealer;
    }

    /** Where channels emit their events: the host's sinks and those the installed modules added. */
    public EventSink events() {
        return events;
    }

    /** The names of the installed modules, in installation order. */
    public List<String> modules() {
        return modules.names();
    }

    /** The installed module of {@code type}, for {@link Tenant#module}. */
    <M extends IrisxModule> M module(Class<M> type) {
        requireOpen();
        return modules.find(type).orElseThrow(() -> new IllegalStateException(type.getSimpleName()
                + " is not installed in this runtime: add Irisx.builder().install(" + type.getSimpleName()
                + ".builder()…build())"));
    }

    /**
     * Where every channel's work stands now, across tenants: counts by status, how overdue the most overdue pending
     * work is, the relay's lag, and the ten records of each channel held longest by a worker, with their last error.
     */
    public Backlog backlog() {
        requireOpen();
        return OutboxTable.backlog(database, clock.instant(), 10);
    }

    /**
     * The runtime's health now, to serve as readiness: the database (DOWN when unreachable), the outbox (a broker
     * outbox is DOWN while disconnected), each channel's backlog (DEGRADED when work is overdue by more than the
     * {@linkplain Builder#maxLag maximum lag}, or the relay lags by more), and every check added with
     * {@link #addHealthCheck} (such as a sender's provider circuits). A check that throws is DOWN.
     */
    public Health health() {
        List<Health.Check> checks = new ArrayList<>();
        checks.add(run("database", this::databaseCheck));
        checks.add(run("outbox", outbox::health));
        try {
            // Counts and lags only: the records in flight are not read.
            Backlog backlog = OutboxTable.backlog(database, clock.instant(), 0);
            backlog.channels().values().stream().sorted(Comparator.comparing(ChannelBacklog::channel))
                    .forEach(channel -> checks.add(backlogCheck(channel, backlog.at())));
        } catch (RuntimeException e) {
            checks.add(new Health.Check("backlog", Health.Status.DOWN,
                    "reading the backlog failed: " + e.getMessage()));
        }
        healthChecks.forEach(check -> checks.add(run(check.getClass().getSimpleName(), check)));
        return Health.of(checks);
    }

    /** Adds {@code check} to {@link #health()} until it is {@linkplain #removeHealthCheck removed}. */
    public void addHealthCheck(HealthCheck check) {
        healthChecks.add(Objects.requireNonNull(check, "check"));
    }

    /** Removes a check {@linkplain #addHealthCheck added} before; nothing when it is not there. */
    public void removeHealthCheck(HealthCheck check) {
        healthChecks.remove(check);
    }

    private Health.Check databaseCheck() {
        return database.withConnection(connection -> {
            try (Statement ping = connection.createStatement()) {
                ping.execute("SELECT 1");
            }
            return Health.Check.up("database", database.toString());
        });
    }

    private Health.Check backlogCheck(ChannelBacklog channel, Instant at) {
        String name = "backlog." + channel.channel().name().toLowerCase(Locale.ROOT);
        Duration relayLag = channel.relayLag(at);
        String detail = channel.pending() + " pending (most overdue " + channel.overdue().toSeconds() + " s), "
                + channel.inFlight() + " in flight, " + channel.dead() + " dead, " + channel.unpublished()
                + " unpublished (oldest " + relayLag.toSeconds() + " s)";
        boolean behind = channel.overdue().compareTo(maxLag) > 0 || relayLag.compareTo(maxLag) > 0;
        return new Health.Check(name, behind ? Health.Status.DEGRADED : Health.Status.UP,
                behind ? detail + ", behind by more than " + maxLag.toSeconds() + " s" : detail);
    }

    private static Health.Check run(String name, HealthCheck check) {
        try {
            return Objects.requireNonNull(check.check(), "the health check returned null");
        } catch (RuntimeException e) {
            return new Health.Check(name, Health.Status.DOWN, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Stops the modules' workers (last installed first), each finishing the deliveries in progress; then the outbox,
     * which relays what is unpublished; then releases the database if IRISX created its pool. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = modules.closeWorkers();
        try {
            outbox.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        } finally {
            database.close();
            log.info("irisx closed");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Irisx runtime is closed");
        }
    }

    /** Builds an {@link Irisx} runtime; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private DataSource dataSource;
        private String jdbcUrl;
        private String username;
        private String password;
        private int maxPoolSize = 10;
        private Path dataDirectory = Path.of("irisx-data");
        private Clock clock = Clock.systemUTC();
        private Outbox.Factory outbox = JdbcOutbox.factory();
        private SealingKeys sealingKeys;
        private final List<EventSink> eventSinks = new ArrayList<>(List.of(EventSink.logging()));
        private final List<IrisxModule> modules = new ArrayList<>();
        private Duration maxLag = Duration.ofMinutes(1);
        private RateLimits rateLimits = RateLimits.none();
        private PriceList prices = PriceList.defaults();
        /** A Micrometer MeterRegistry, kept as an Object so that the runtime loads without Micrometer. */
        private Object meterRegistry;

        private Builder() {
        }

        /** Stores in the host's data source (H2 or PostgreSQL), which the host keeps and closes. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.jdbcUrl = null;
            return this;
        }

        /** Stores in the H2 or PostgreSQL database at {@code jdbcUrl}, through a pool IRISX creates and closes. */
        public Builder jdbcUrl(String jdbcUrl, String username, String password) {
            this.jdbcUrl = Database.checkJdbcUrl(jdbcUrl);
            this.username = username;
            this.password = password;
            this.dataSource = null;
            return this;
        }

        /** The largest pool IRISX creates for {@link #jdbcUrl} or the embedded database, 1 to 200 (default 10). */
        public Builder maxPoolSize(int maxPoolSize) {
            if (maxPoolSize < 1 || maxPoolSize > 200) {
                throw new IllegalArgumentException("maxPoolSize must be between 1 and 200, was " + maxPoolSize);
            }
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /** Where the embedded default keeps its H2 database and generated sealing key (default {@code ./irisx-data}). */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /** The clock for timestamps and delays (default: the system clock in UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The outbox to queue work in (default: {@link JdbcOutbox#factory()}, on the runtime's database). */
        public Builder outbox(Outbox.Factory outbox) {
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            return this;
        }

        /**
         * The keys that seal stored secrets. Required with a host database; the embedded default generates one
         * beside its database when none is given, and warns.
         */
        public Builder sealingKeys(SealingKeys sealingKeys) {
            this.sealingKeys = Objects.requireNonNull(sealingKeys, "sealingKeys");
            return this;
        }

        /**
         * Hands every event the runtime emits ({@code email.sent}, {@code message.dead_lettered}, …) to
         * {@code sink} as well, in the emitter's transaction; may be called for several sinks. Events are always
         * logged at DEBUG, and an installed webhooks module fans them out to the tenants' endpoints.
         */
        public Builder eventSink(EventSink sink) {
            eventSinks.add(Objects.requireNonNull(sink, "eventSink"));
            return this;
        }

        /**
         * Installs {@code module} (email, SMS, webhooks, …) when the runtime is built, after the modules given
         * before it: it migrates its tables, adds its event sinks and health checks, and starts the workers it is
         * configured to run, which {@link Irisx#close()} stops. One module of each type.
         */
        public Builder install(IrisxModule module) {
            Objects.requireNonNull(module, "module");
            if (modules.stream().anyMatch(installed -> installed.getClass() == module.getClass())) {
                throw new IllegalArgumentException("a " + module.getClass().getSimpleName()
                        + " is installed already: install one module of each type");
            }
            modules.add(module);
            return this;
        }

        /**
         * Meters the outbox in {@code registry} (Micrometer, an optional dependency), each meter tagged with its
         * {@code channel}: {@code irisx.outbox.published}; {@code irisx.outbox.handled} by {@code outcome} (done,
         * retry, defer, fail, error); the timers {@code irisx.outbox.handling} and {@code irisx.outbox.latency}
         * (publication to done); {@code irisx.outbox.dead.letters}; and the gauges {@code irisx.outbox.backlog} by
         * {@code status} (pending, in_flight, dead), {@code irisx.outbox.overdue.seconds},
         * {@code irisx.outbox.unpublished} and {@code irisx.outbox.relay.lag.seconds}, read from the
         * {@linkplain Irisx#backlog() backlog} at most every 5 seconds; and {@code irisx.rate.limited}, the sends
         * refused and deliveries put off by a rate limit, by {@code channel} and {@code stage}.
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Holds each tenant's sends and deliveries to {@code limits} (default {@link RateLimits#none()}): a send over
         * its tenant's send limit is refused with {@link RateLimitedException} before anything is stored; a queued
         * message over its tenant's delivery limit waits, without using up a try. On PostgreSQL every process on the
         * database shares the buckets (give each the same limits); on H2 they are this process's.
         */
        public Builder rateLimits(RateLimits limits) {
            this.rateLimits = Objects.requireNonNull(limits, "rateLimits");
            return this;
        }

        /**
         * The prices of metered usage before any version is set in the {@linkplain Irisx#prices() price book}, and
         * the currency of every price and cost (default {@link PriceList#defaults()}, in US dollars).
         */
        public Builder prices(PriceList prices) {
            this.prices = Objects.requireNonNull(prices, "prices");
            return this;
        }

        /**
         * How far behind a channel may fall before {@link Irisx#health()} calls it DEGRADED: how long its most
         * overdue work has waited for a worker, or the relay's oldest unpublished work (default 1 minute).
         */
        public Builder maxLag(Duration maxLag) {
            Objects.requireNonNull(maxLag, "maxLag");
            if (maxLag.isNegative() || maxLag.isZero()) {
                throw new IllegalArgumentException("maxLag must be positive, was " + maxLag);
            }
            this.maxLag = maxLag;
            return this;
        }

        /**
         * Connects, migrates irisx-core's tables, opens the outbox, installs the modules in order, and returns the
         * runtime; anything opened is closed again if a later step fails.
         */
        public Irisx build() {
            boolean embedded = dataSource == null && jdbcUrl == null;
            if (!embedded && sealingKeys == null) {
                throw new IllegalStateException("sealingKeys must be set when IRISX stores in the host's database: "
                        + "secrets sealed with a generated key would be lost with the machine (see SealingKeys)");
            }
            Deque<AutoCloseable> opened = new ArrayDeque<>();
            try {
                SealingKeys keys = sealingKeys;
                Database database;
                if (embedded) {
                    Path directory = dataDirectory.toAbsolutePath().normalize();
                    Files.createDirectories(directory);
                    if (keys == null) {
                        keys = SealingKeys.loadOrCreate(directory.resolve("sealing.keys"));
                    }
                    // WRITE_DELAY=0: each commit is written before it returns, so a crash loses nothing confirmed.
                    database = Database.connect("jdbc:h2:file:" + directory.resolve("irisx")
                            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
                            null, null, maxPoolSize);
                } else if (dataSource != null) {
                    database = Database.of(dataSource);
                } else {
                    database = Database.connect(jdbcUrl, username, password, maxPoolSize);
                }
                opened.push(database);
                database.migrate("core");
                RuntimeEvents sink = new RuntimeEvents(eventSinks);
                Outbox box = Objects.requireNonNull(outbox.create(database, clock, sink),
                        "the outbox factory returned null");
                opened.push(box);
                String outboxName = box.getClass().getSimpleName();
                if (meterRegistry != null) {
                    Database metered = database;
                    box = MeteredOutbox.of(box, (io.micrometer.core.instrument.MeterRegistry) meterRegistry, clock,
                            () -> OutboxTable.backlog(metered, clock.instant(), 0));
                }
                RateLimiter.Builder limiter = RateLimiter.builder(database).clock(clock).limits(rateLimits)
                        .storedSettings();
                if (meterRegistry != null) {
                    limiter.meterRegistry((io.micrometer.core.instrument.MeterRegistry) meterRegistry);
                }
                Irisx irisx = new Irisx(database, clock, box, SecretSealer.of(keys), sink, maxLag, limiter.build(),
                        meterRegistry, prices);
                // From here the runtime closes what it holds: its workers, the outbox, the database.
                opened.clear();
                opened.push(irisx);
                for (IrisxModule module : modules) {
                    irisx.modules.install(module);
                }
                sink.seal();
                log.info("irisx started: {}, outbox {}{}{}", database, outboxName,
                        meterRegistry == null ? "" : ", metered",
                        modules.isEmpty() ? "" : ", modules " + irisx.modules());
                return irisx;
            } catch (Exception e) {
                while (!opened.isEmpty()) {
                    try {
                        opened.pop().close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("IRISX could not start: " + e.getMessage(), e);
            }
        }
    }
}
