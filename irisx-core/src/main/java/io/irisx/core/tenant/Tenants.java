package io.irisx.core.tenant;

import com.fasterxml.jackson.core.type.TypeReference;
import io.irisx.core.ConflictException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.TenantSuspendedException;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.SendCredit;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants the host registers, for running its own customers: name them, label them, suspend and resume them,
 * delete them with their data; thread-safe, from {@link io.irisx.core.Irisx#tenants()}. A tenant need not be
 * registered to send (any {@code irisx.tenant(id)} may); one registered and suspended has every send refused with
 * {@link TenantSuspendedException} before anything is stored, in every process on the database, from the moment the
 * suspension commits. A registered tenant has {@linkplain #settings settings}: default senders, provider chains,
 * rate-limit overrides and its billing mode.
 */
public final class Tenants {

    private static final Logger log = LoggerFactory.getLogger(Tenants.class);
    private static final int MAX_NAME = 200;
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    private static final String COLUMNS = "tenant_id, name, status, suspended_reason, metadata, created_at,"
            + " updated_at";

    private final Database database;
    private final Clock clock;
    private final Supplier<List<IrisxModule>> modules;
    private final Consumer<TenantId> settingsChanged;

    /** The tenants of {@code database}; {@code modules} gives the installed modules, whose data a deletion removes. */
    public Tenants(Database database, Clock clock, Supplier<List<IrisxModule>> modules) {
        this(database, clock, modules, tenant -> { });
    }

    /**
     * As {@link #Tenants(Database, Clock, Supplier)}, telling {@code settingsChanged} (the runtime's rate limiter and
     * its modules) of each tenant whose settings this process changed, or which it deleted, once the change commits.
     */
    public Tenants(Database database, Clock clock, Supplier<List<IrisxModule>> modules,
            Consumer<TenantId> settingsChanged) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.modules = Objects.requireNonNull(modules, "modules");
        this.settingsChanged = Objects.requireNonNull(settingsChanged, "settingsChanged");
    }

    /**
     * Registers tenant {@code id}, active.
     *
     * @throws ConflictException when it is registered already
     * @throws IrisxValidationException when the name is blank or longer than 200 characters
     */
    public TenantInfo create(TenantId id, String name, Map<String, String> metadata) {
        Objects.requireNonNull(id, "id");
        String checked = name("name", name);
        Map<String, String> labels = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        long now = clock.millis();
        boolean created = database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_tenants (" + COLUMNS
                    + ") VALUES (?, ?, 'ACTIVE', NULL, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                Params.of(insert).id(id).string(checked).json(labels).longValue(now).longValue(now);
                return insert.executeUpdate() == 1;
            }
        });
        if (!created) {
            throw new ConflictException("tenant " + id + " is registered already");
        }
        log.info("irisx: tenant {} registered", id);
        return get(id);
    }

    /** The registered tenant {@code id}; {@link NotFoundException} when it is not registered. */
    public TenantInfo get(TenantId id) {
        return find(id).orElseThrow(() -> new NotFoundException("tenant", id.value()));
    }

    /** The registered tenant {@code id}, if it is. */
    public Optional<TenantInfo> find(TenantId id) {
        Objects.requireNonNull(id, "id");
        return database.withConnection(connection -> find(connection, id, false));
    }

    /** A page of the registered tenants, by id. */
    public Page<TenantInfo> list(PageRequest page) {
        Objects.requireNonNull(page, "page");
        List<TenantInfo> fetched = database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM irisx_tenants"
                    + " WHERE tenant_id > ? ORDER BY tenant_id LIMIT " + (page.limit() + 1))) {
                Params.of(select).string(page.after().orElse(""));
                return Jdbc.list(select, Tenants::info);
            }
        });
        return Page.of(fetched, page, info -> info.id().value());
    }

    /** Renames and relabels tenant {@code id}; {@link NotFoundException} when it is not registered. */
    public TenantInfo update(TenantId id, String name, Map<String, String> metadata) {
        Objects.requireNonNull(id, "id");
        String checked = name("name", name);
        Map<String, String> labels = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        change(id, "UPDATE irisx_tenants SET name = ?, metadata = ?, updated_at = ? WHERE tenant_id = ?",
                params -> params.string(checked).json(labels).longValue(clock.millis()).id(id));
        return get(id);
    }

    /**
     * The settings of registered tenant {@code id}: what it stored with {@link #updateSettings}, and its billing mode;
     * {@link TenantSettings#defaults()} (with its billing mode) when it stored none.
     *
     * @throws NotFoundException when it is not registered
     */
    public TenantSettings settings(TenantId id) {
        Objects.requireNonNull(id, "id");
        return database.withConnection(connection -> {
            if (find(connection, id, false).isEmpty()) {
                throw new NotFoundException("tenant", id.value());
            }
            return SettingsRows.read(connection, id);
        });
    }

    /**
     * Replaces the settings of registered tenant {@code id} with {@code settings} (start from
     * {@code settings(id).toBuilder()} to change some), and its billing mode with theirs, in one transaction. Each
     * installed module first checks them ({@link IrisxModule#checkSettings}): a provider chain naming a provider its
     * module does not have registered in this process is refused. Sends and workers of this process read them from
     * the moment this returns; the rate limits and the workers' provider chains of other processes on the database
     * follow within {@value io.irisx.core.ratelimit.RateLimiter#SETTINGS_SECONDS} seconds.
     *
     * @return the settings now stored
     * @throws NotFoundException when it is not registered
     * @throws IrisxValidationException naming the field and the value a module refuses
     */
    public TenantSettings updateSettings(TenantId id, TenantSettings settings) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(settings, "settings");
        for (IrisxModule module : modules.get()) {
            module.checkSettings(id, settings);
        }
        TenantSettings stored = database.inTransaction(connection -> {
            if (find(connection, id, true).isEmpty()) {
                throw new NotFoundException("tenant", id.value());
            }
            SettingsRows.write(connection, id, settings, clock.instant());
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_tenants SET updated_at = ?"
                    + " WHERE tenant_id = ?")) {
                Params.of(update).longValue(clock.millis()).id(id);
                update.executeUpdate();
            }
            return SettingsRows.read(connection, id);
        });
        settingsChanged.accept(id);
        log.info("irisx: tenant {} settings changed: {}", id, stored);
        return stored;
    }

    /**
     * The settings tenant {@code id} stored, read on {@code connection} (a send's transaction, a worker's read); empty
     * when it stored none (registered or not). For the channel modules: a send without a sender takes the tenant's
     * default one, a worker takes its provider chain.
     */
    public static Optional<TenantSettings> storedSettings(Connection connection, TenantId id) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(id, "id");
        return SettingsRows.readStored(connection, id);
    }

    /**
     * Suspends tenant {@code id}: its sends are refused from the moment this returns, its queued work still goes
     * out. {@link NotFoundException} when it is not registered.
     */
    public TenantInfo suspend(TenantId id, String reason) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        change(id, "UPDATE irisx_tenants SET status = 'SUSPENDED', suspended_reason = ?, updated_at = ?"
                + " WHERE tenant_id = ?", params -> params.string(reason.length() > 2000 ? reason.substring(0, 2000)
                        : reason).longValue(clock.millis()).id(id));
        log.warn("irisx: tenant {} suspended: {}", id, reason);
        return get(id);
    }

    /** Resumes tenant {@code id}; {@link NotFoundException} when it is not registered. */
    public TenantInfo resume(TenantId id) {
        Objects.requireNonNull(id, "id");
        change(id, "UPDATE irisx_tenants SET status = 'ACTIVE', suspended_reason = NULL, updated_at = ?"
                + " WHERE tenant_id = ?", params -> params.longValue(clock.millis()).id(id));
        log.info("irisx: tenant {} resumed", id);
        return get(id);
    }

    /**
     * Deletes tenant {@code id} and all its data — its settings, its API keys, its usage records and own prices, its credit ledger
     * and top-ups (whatever its balance), its outbox records and dead letters, its rate-limit buckets, and every row
     * each installed module keeps for it — in one transaction. Refused, changing nothing, while the tenant has work
     * queued or in flight: suspend it, let its work finish (or purge its dead letters), then delete it. Export its
     * usage to the biller before.
     *
     * @throws NotFoundException when it is not registered
     * @throws ConflictException while it has work queued or in flight
     */
    public void delete(TenantId id) {
        Objects.requireNonNull(id, "id");
        database.inTransaction(connection -> {
            if (find(connection, id, true).isEmpty()) {
                throw new NotFoundException("tenant", id.value());
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM irisx_outbox"
                    + " WHERE tenant_id = ? AND status IN ('PENDING', 'IN_FLIGHT')")) {
                Params.of(select).id(id);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    long queued = rs.getLong(1);
                    if (queued > 0) {
                        throw new ConflictException("tenant " + id + " has " + queued + " message(s) queued or in"
                                + " flight; suspend it and delete it once they are done");
                    }
                }
            }
            for (IrisxModule module : modules.get()) {
                module.deleteTenant(connection, id);
            }
            if (database.dialect() == Database.Dialect.POSTGRESQL) {
                // Rate-limit buckets are rows on PostgreSQL only (in memory on H2).
                Jdbc.deleteTenantRows(connection, id, "irisx_rate_limit_buckets");
            }
            Jdbc.deleteTenantRows(connection, id, "irisx_credit_entries", "irisx_credit_payments",
                    "irisx_credit_accounts");
            Jdbc.deleteTenantRows(connection, id, "irisx_tenant_settings", "irisx_api_keys", "irisx_usage", "irisx_prices",
                    "irisx_dead_letter", "irisx_outbox", "irisx_tenants");
            return null;
        });
        settingsChanged.accept(id);
        log.warn("irisx: tenant {} deleted with its data", id);
    }

    /**
     * Refuses, with {@link TenantSuspendedException}, a send of tenant {@code id} while it is suspended, and tells in
     * the same read whether the tenant is PREPAID: whether its send is to reserve a price ({@link SendCredit}), which
     * a POSTPAID tenant's then need not ask. Run in the send's transaction, on {@code connection}, before anything is
     * stored. A tenant never registered, or without a credit account, is active and POSTPAID. For the channel
     * modules.
     *
     * @throws TenantSuspendedException when the tenant is suspended
     */
    public static boolean admit(Connection connection, TenantId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT"
                + " (SELECT status FROM irisx_tenants WHERE tenant_id = ?),"
                + " (SELECT suspended_reason FROM irisx_tenants WHERE tenant_id = ?),"
                + " (SELECT billing_mode FROM irisx_credit_accounts WHERE tenant_id = ?)")) {
            Params.of(select).id(id).id(id).id(id);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                if (TenantStatus.SUSPENDED.name().equals(rs.getString(1))) {
                    throw new TenantSuspendedException(id, rs.getString(2));
                }
                return BillingMode.PREPAID.name().equals(rs.getString(3));
            }
        }
    }

    private Optional<TenantInfo> find(Connection connection, TenantId id, boolean lock) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM irisx_tenants"
                + " WHERE tenant_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            Params.of(select).id(id);
            return Jdbc.first(select, Tenants::info);
        }
    }

    private interface Binder {
        void bind(Params params) throws SQLException;
    }

    private void change(TenantId id, String sql, Binder binder) {
        boolean changed = database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                binder.bind(Params.of(update));
                return update.executeUpdate() == 1;
            }
        });
        if (!changed) {
            throw new NotFoundException("tenant", id.value());
        }
    }

    private static TenantInfo info(Row row) throws SQLException {
        return new TenantInfo(row.id("tenant_id", TenantId::of), row.string("name"),
                row.enumValue("status", TenantStatus.class), row.optionalString("suspended_reason"),
                row.json("metadata", LABELS), row.instant("created_at"), row.instant("updated_at"));
    }

    private static String name(String field, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IrisxValidationException(field, name, "must be 1 to " + MAX_NAME + " characters, not blank");
        }
        return name;
    }

    @Override
    public String toString() {
        return "Tenants[" + database + "]";
    }
}
