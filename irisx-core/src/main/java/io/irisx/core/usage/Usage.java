package io.irisx.core.usage;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One tenant's metered usage: its records, for an external biller, summed per unit and day or month, and what it
 * costs at the {@linkplain PriceBook price book}'s prices; thread-safe, from {@link io.irisx.core.Tenant#usage()}.
 *
 * <p>A record is written exactly once per billable unit of work, in the transaction of the status change that makes
 * it billable (an email or SMS SENT, a webhook delivered), keyed by {@code <message id>:<UNIT>}
 * ({@link io.irisx.core.spi.Metering}): redeliveries, retries and crashed workers never count it twice. Days are UTC
 * days of the moment the work became billable, and every range of days includes both its ends. Sums are read from
 * the records each time (no counter row every send would contend on).
 */
public final class Usage {

    /** The first day a range may name. */
    private static final LocalDate FIRST_DAY = LocalDate.EPOCH;
    /** The last day a range may name. */
    private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

    private final Database database;
    private final PriceBook prices;
    private final TenantId tenant;

    /** The usage of {@code tenant} on {@code database}, priced by {@code prices}; the runtime builds it. */
    public Usage(Database database, PriceBook prices, TenantId tenant) {
        this.database = Objects.requireNonNull(database, "database");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    /** The tenant whose usage this is. */
    public TenantId tenant() {
        return tenant;
    }

    /**
     * The tenant's usage per UTC day and unit, from {@code from} to {@code to} (both included), by day then unit;
     * only the days and units with some usage.
     *
     * @throws IrisxValidationException naming {@code to} when it is before {@code from}, or a day outside 1970 to
     *     9999
     */
    public List<DailyUsage> daily(LocalDate from, LocalDate to) {
        int first = epochDay("from", from);
        int last = epochDay("to", to);
        requireOrdered(from, to);
        List<DailyUsage> days = database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT usage_day, unit,"
                    + " SUM(quantity) AS quantity, COUNT(*) AS records FROM irisx_usage"
                    + " WHERE tenant_id = ? AND usage_day >= ? AND usage_day <= ? GROUP BY usage_day, unit")) {
                Params.of(select).id(tenant).intValue(first).intValue(last);
                return Jdbc.list(select, row -> new DailyUsage(LocalDate.ofEpochDay(row.intValue("usage_day")),
                        row.enumValue("unit", UsageUnit.class), row.longValue("quantity"), row.longValue("records")));
            }
        });
        return days.stream().sorted(Comparator.comparing(DailyUsage::day).thenComparing(DailyUsage::unit)).toList();
    }

    /**
     * The tenant's usage per month (of UTC days) and unit, from {@code from} to {@code to} (both included), by
     * month then unit; only the months and units with some usage.
     *
     * @throws IrisxValidationException naming {@code to} when it is before {@code from}, or a month outside 1970 to
     *     9999
     */
    public List<MonthlyUsage> monthly(YearMonth from, YearMonth to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Map<YearMonth, Map<UsageUnit, long[]>> months = new LinkedHashMap<>();
        for (DailyUsage day : daily(from.atDay(1), to.atEndOfMonth())) {
            long[] sums = months.computeIfAbsent(YearMonth.from(day.day()), month -> new LinkedHashMap<>())
                    .computeIfAbsent(day.unit(), unit -> new long[2]);
            sums[0] += day.quantity();
            sums[1] += day.records();
        }
        List<MonthlyUsage> found = new ArrayList<>();
        months.forEach((month, units) -> units.forEach((unit, sums) ->
                found.add(new MonthlyUsage(month, unit, sums[0], sums[1]))));
        return found.stream().sorted(Comparator.comparing(MonthlyUsage::month).thenComparing(MonthlyUsage::unit))
                .toList();
    }

    /**
     * A page of the tenant's usage records of the UTC days {@code from} to {@code to} (both included), by day then
     * idempotency key: what an external biller is sent. Each record carries its idempotency key, so sending a record
     * again (an export run twice, or over overlapping days) is recognised by the biller as the same usage.
     *
     * <p>A record commits with its status change, which may be a moment after the work it meters: export a day once
     * it is over and the workers have settled what was in flight, or export it again later (safe, by the keys).
     *
     * @throws IrisxValidationException naming {@code to} when it is before {@code from}, a day outside 1970 to 9999,
     *     or {@code after} when the page's cursor is not one of this listing's
     */
    public Page<UsageRecord> records(LocalDate from, LocalDate to, PageRequest page) {
        int first = epochDay("from", from);
        int last = epochDay("to", to);
        requireOrdered(from, to);
        Objects.requireNonNull(page, "page");
        Cursor after = page.cursor(Cursor::parse).orElse(new Cursor(first - 1, ""));
        List<UsageRecord> fetched = database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT idempotency_key, unit, subject,"
                    + " quantity, occurred_at, usage_day FROM irisx_usage WHERE tenant_id = ? AND usage_day >= ?"
                    + " AND usage_day <= ? AND (usage_day > ? OR (usage_day = ? AND idempotency_key > ?))"
                    + " ORDER BY usage_day, idempotency_key LIMIT " + (page.limit() + 1))) {
                Params.of(select).id(tenant).intValue(first).intValue(last).intValue(after.day())
                        .intValue(after.day()).string(after.key());
                return Jdbc.list(select, this::record);
            }
        });
        return Page.of(fetched, page, record -> new Cursor(Math.toIntExact(
                LocalDate.ofInstant(record.occurredAt(), ZoneOffset.UTC).toEpochDay()),
                record.idempotencyKey()).text());
    }

    /**
     * What the tenant's usage from {@code from} to {@code to} (UTC days, both included) costs: for each unit, a line
     * for each price that applied to some of its days (a price changed within the range gives a line before and a
     * line after), each amount rounded half to even to the currency's minor units, and their exact sum.
     *
     * @throws IrisxValidationException naming {@code to} when it is before {@code from}, or a day outside 1970 to
     *     9999
     * @throws IllegalStateException when a stored price is in another currency than the runtime's price list
     */
    public CostReport cost(LocalDate from, LocalDate to) {
        List<DailyUsage> days = daily(from, to);
        Map<UsageUnit, PriceTimeline> timelines = prices.timelines(tenant);
        List<CostLine> lines = new ArrayList<>();
        for (UsageUnit unit : UsageUnit.values()) {
            List<DailyUsage> used = days.stream().filter(day -> day.unit() == unit).toList();
            if (used.isEmpty()) {
                continue;
            }
            for (PriceTimeline.Span span : timelines.get(unit).spans(from, to)) {
                long quantity = used.stream().filter(day -> !day.day().isBefore(span.from())
                        && !day.day().isAfter(span.to())).mapToLong(DailyUsage::quantity).sum();
                if (quantity > 0) {
                    lines.add(CostLine.of(unit, span.from(), span.to(), quantity, span.price()));
                }
            }
        }
        return CostReport.of(tenant, from, to, prices.currency(), lines);
    }

    private UsageRecord record(Row row) throws SQLException {
        return new UsageRecord(row.string("idempotency_key"), tenant, row.enumValue("unit", UsageUnit.class),
                row.string("subject"), row.longValue("quantity"), row.instant("occurred_at"));
    }

    private static int epochDay(String field, LocalDate day) {
        Objects.requireNonNull(day, field);
        if (day.isBefore(FIRST_DAY) || day.isAfter(LAST_DAY)) {
            throw new IrisxValidationException(field, day, "must be a day from " + FIRST_DAY + " to " + LAST_DAY);
        }
        return Math.toIntExact(day.toEpochDay());
    }

    private static void requireOrdered(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IrisxValidationException("to", to, "is before from (" + from + "): a range of days runs from"
                    + " its first to its last, both included");
        }
    }

    /** Where a page of records ends: the day and the key of its last record, as {@code <epoch day>/<key>}. */
    private record Cursor(int day, String key) {

        static Cursor parse(String text) {
            int slash = text.indexOf('/');
            try {
                if (slash > 0) {
                    return new Cursor(Integer.parseInt(text.substring(0, slash)), text.substring(slash + 1));
                }
            } catch (NumberFormatException e) {
                // Refused below, as any other text that is not a cursor.
            }
            throw new IrisxValidationException("after", text, "is not a cursor of usage records");
        }

        String text() {
            return day + "/" + key;
        }
    }

    @Override
    public String toString() {
        return "Usage[" + tenant + "]";
    }
}
