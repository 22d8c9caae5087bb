package io.irisx.core.usage;

import io.irisx.core.ConflictException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prices of the runtime, versioned by day: the {@link PriceList} the runtime was built with, defaults for every
 * tenant set later, and each tenant's own prices; thread-safe, from {@link io.irisx.core.Irisx#prices()}, shared by
 * every tenant's {@link Usage#cost}.
 *
 * <p>A price change is a new version that applies from a UTC day on, today or later; versions are only ever added,
 * never changed nor removed (but with their tenant), so a cost once reported never changes. On each day a unit costs
 * the tenant's own latest version from that day or before, if it has one; else the latest default version set
 * with {@link #setDefaultPrice}; else the price list's. Every price is in the price list's currency.
 */
public final class PriceBook {

    private static final Logger log = LoggerFactory.getLogger(PriceBook.class);
    /** The tenant id column of a default version: no tenant id is empty. */
    private static final String DEFAULTS = "";

    private final Database database;
    private final Clock clock;
    private final PriceList priceList;

    /** The price book on {@code database}, starting from {@code priceList}; the runtime builds it. */
    public PriceBook(Database database, Clock clock, PriceList priceList) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.priceList = Objects.requireNonNull(priceList, "priceList");
    }

    /** The price list the runtime was built with: the prices before any version was set. */
    public PriceList priceList() {
        return priceList;
    }

    /** The currency of every price and cost. */
    public Currency currency() {
        return priceList.currency();
    }

    /**
     * Sets the price of {@code unit} for every tenant without its own, from the UTC day {@code effectiveFrom} on.
     *
     * @throws IrisxValidationException naming {@code unitPrice} when it is negative or has more than 12 digits before
     *     or after the point, or {@code effectiveFrom} when it is before today (UTC)
     * @throws ConflictException when a default version of {@code unit} from that day is set already
     */
    public PriceVersion setDefaultPrice(UsageUnit unit, BigDecimal unitPrice, LocalDate effectiveFrom) {
        return set(Optional.empty(), unit, unitPrice, effectiveFrom);
    }

    /**
     * Sets {@code tenant}'s own price of {@code unit}, from the UTC day {@code effectiveFrom} on: it wins over every
     * default from that day.
     *
     * @throws IrisxValidationException naming {@code unitPrice} when it is negative or has more than 12 digits before
     *     or after the point, or {@code effectiveFrom} when it is before today (UTC)
     * @throws ConflictException when a version of the tenant's price of {@code unit} from that day is set already
     */
    public PriceVersion setTenantPrice(TenantId tenant, UsageUnit unit, BigDecimal unitPrice,
            LocalDate effectiveFrom) {
        return set(Optional.of(Objects.requireNonNull(tenant, "tenant")), unit, unitPrice, effectiveFrom);
    }

    /** The versions of the default price of {@code unit}, oldest first: the price list's, then each one set. */
    public List<PriceVersion> defaultVersions(UsageUnit unit) {
        Objects.requireNonNull(unit, "unit");
        List<PriceVersion> versions = new ArrayList<>();
        versions.add(listed(unit));
        versions.addAll(database.withConnection(connection -> stored(connection, DEFAULTS, Optional.of(unit))));
        return versions;
    }

    /** The versions of {@code tenant}'s own price of {@code unit}, oldest first; empty when it has none. */
    public List<PriceVersion> tenantVersions(TenantId tenant, UsageUnit unit) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(unit, "unit");
        return database.withConnection(connection -> stored(connection, tenant.value(), Optional.of(unit)));
    }

    /** The price of {@code unit} that applies to {@code tenant} on the UTC day {@code day}. */
    public PriceVersion priceOn(TenantId tenant, UsageUnit unit, LocalDate day) {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(day, "day");
        return timelines(tenant).get(unit).on(day);
    }

    /**
     * As {@link #priceOn(TenantId, UsageUnit, LocalDate)}, read on {@code connection}: for a caller inside its own
     * transaction, which must not wait for a second connection of the pool.
     */
    public PriceVersion priceOn(Connection connection, TenantId tenant, UsageUnit unit, LocalDate day)
            throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(day, "day");
        return timelines(connection, tenant).get(unit).on(day);
    }

    /**
     * Every unit's price timeline for {@code tenant}, read at once.
     *
     * @throws IllegalStateException when a stored version is in another currency than the price list (the runtime
     *     was built with another currency than the prices were set in)
     */
    Map<UsageUnit, PriceTimeline> timelines(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return database.withConnection(connection -> timelines(connection, tenant));
    }

    private Map<UsageUnit, PriceTimeline> timelines(Connection connection, TenantId tenant) throws SQLException {
        Objects.requireNonNull(tenant, "tenant");
        List<List<PriceVersion>> stored = List.of(stored(connection, DEFAULTS, Optional.empty()),
                stored(connection, tenant.value(), Optional.empty()));
        Map<UsageUnit, PriceTimeline> timelines = new EnumMap<>(UsageUnit.class);
        for (UsageUnit unit : UsageUnit.values()) {
            timelines.put(unit, new PriceTimeline(listed(unit), ofUnit(stored.get(0), unit),
                    ofUnit(stored.get(1), unit)));
        }
        return timelines;
    }

    private List<PriceVersion> ofUnit(List<PriceVersion> versions, UsageUnit unit) {
        List<PriceVersion> found = new ArrayList<>();
        for (PriceVersion version : versions) {
            if (version.unit() != unit) {
                continue;
            }
            if (!version.currency().equals(currency())) {
                throw new IllegalStateException("the " + version.origin() + " price of " + unit + " from "
                        + version.effectiveFrom() + version.tenant().map(t -> " for tenant " + t).orElse("")
                        + " is in " + version.currency() + ", but the runtime's price list is in " + currency()
                        + ": build the runtime with a price list in " + version.currency());
            }
            found.add(version);
        }
        return found;
    }

    private PriceVersion listed(UsageUnit unit) {
        return new PriceVersion(PriceVersion.Origin.PRICE_LIST, Optional.empty(), unit, priceList.unitPrice(unit),
                currency(), LocalDate.EPOCH);
    }

    private PriceVersion set(Optional<TenantId> tenant, UsageUnit unit, BigDecimal unitPrice,
            LocalDate effectiveFrom) {
        Objects.requireNonNull(unit, "unit");
        BigDecimal price = UnitPrices.check("unitPrice", unitPrice);
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (effectiveFrom.isBefore(today)) {
            throw new IrisxValidationException("effectiveFrom", effectiveFrom, "is before today (" + today
                    + ", UTC): a price applies from today or a later day, so that no cost already incurred changes");
        }
        PriceVersion version = new PriceVersion(tenant.isPresent() ? PriceVersion.Origin.TENANT
                : PriceVersion.Origin.DEFAULT, tenant, unit, price, currency(), effectiveFrom);
        boolean added = database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_prices (tenant_id, unit,"
                    + " effective_from, unit_price, currency, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING")) {
                Params.of(insert).string(tenant.map(TenantId::value).orElse(DEFAULTS)).enumName(unit)
                        .intValue(Math.toIntExact(effectiveFrom.toEpochDay())).decimal(price)
                        .string(currency().getCurrencyCode()).longValue(clock.millis());
                return insert.executeUpdate() == 1;
            }
        });
        String whose = tenant.map(t -> "tenant " + t + "'s").orElse("the default");
        if (!added) {
            throw new ConflictException(whose + " price of " + unit + " from " + effectiveFrom + " is set already:"
                    + " a version is never changed; set one from a later day");
        }
        log.info("irisx: {} price of {} is {} {} from {}", whose, unit, price.toPlainString(),
                currency().getCurrencyCode(), effectiveFrom);
        return version;
    }

    /** The versions stored for the tenant id column {@code tenant}, of {@code unit} or of every unit, oldest first. */
    private static List<PriceVersion> stored(Connection connection, String tenant, Optional<UsageUnit> unit)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT tenant_id, unit, effective_from,"
                + " unit_price, currency FROM irisx_prices WHERE tenant_id = ?" + (unit.isPresent() ? " AND unit = ?"
                        : "") + " ORDER BY unit, effective_from")) {
            Params params = Params.of(select).string(tenant);
            if (unit.isPresent()) {
                params.enumName(unit.get());
            }
            return Jdbc.list(select, PriceBook::version);
        }
    }

    private static PriceVersion version(Row row) throws SQLException {
        String tenant = row.string("tenant_id");
        return new PriceVersion(tenant.isEmpty() ? PriceVersion.Origin.DEFAULT : PriceVersion.Origin.TENANT,
                tenant.isEmpty() ? Optional.empty() : Optional.of(TenantId.of(tenant)),
                row.enumValue("unit", UsageUnit.class), UnitPrices.check("unit_price", row.decimal("unit_price")),
                Currency.getInstance(row.string("currency")), LocalDate.ofEpochDay(row.intValue("effective_from")));
    }

    @Override
    public String toString() {
        return "PriceBook[" + currency() + "]";
    }
}
