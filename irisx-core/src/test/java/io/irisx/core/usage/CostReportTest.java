package io.irisx.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.irisx.core.ConflictException;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.spi.Metering;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The price book's versions — the price list, defaults set later, each tenant's own — and the cost reports they
 * price a tenant's usage with, in exact decimals rounded half to even per line, on each database.
 */
@OnEachDialect
class CostReportTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Currency USD = Currency.getInstance("USD");

    @Parameter
    Database.Dialect dialect;
    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private Database database;
    private Irisx irisx;

    @BeforeEach
    void start() {
        database = TestDatabases.of(dialect);
        irisx = runtime(PriceList.defaults());
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
    }

    @Test
    void usage_at_the_default_prices_costs_their_product_per_unit() {
        emails(ACME, 1_000, "2030-01-03");
        segments(ACME, 3, 7, "2030-01-04");

        CostReport report = irisx.tenant(ACME).usage().cost(day("2030-01-01"), day("2030-01-31"));

        assertThat(report.currency()).isEqualTo(USD);
        assertThat(report.lines()).containsExactly(
                new CostLine(UsageUnit.EMAIL, day("2030-01-01"), day("2030-01-31"), 1_000,
                        listed(UsageUnit.EMAIL, "0.00009"), new BigDecimal("0.09")),
                new CostLine(UsageUnit.SMS_SEGMENT, day("2030-01-01"), day("2030-01-31"), 21,
                        listed(UsageUnit.SMS_SEGMENT, "0.0079"), new BigDecimal("0.17")));
        // 21 × 0.0079 = 0.1659, rounded to cents.
        assertThat(report.total()).isEqualTo(new BigDecimal("0.26"));
    }

    @Test
    void a_cost_spanning_a_price_change_uses_each_price_for_its_days() {
        irisx.prices().setDefaultPrice(UsageUnit.EMAIL, new BigDecimal("0.0001"), day("2030-01-16"));
        emails(ACME, 1_000, "2030-01-10");
        emails(ACME, 2_000, "2030-01-16");
        emails(ACME, 500, "2030-02-01");

        CostReport january = irisx.tenant(ACME).usage().cost(day("2030-01-01"), day("2030-01-31"));

        assertThat(january.lines()).extracting(CostLine::from, CostLine::to, CostLine::quantity, CostLine::amount)
                .containsExactly(
                        tuple(day("2030-01-01"), day("2030-01-15"), 1_000L,
                                new BigDecimal("0.09")),
                        tuple(day("2030-01-16"), day("2030-01-31"), 2_000L,
                                new BigDecimal("0.20")));
        assertThat(january.lines().get(1).price()).isEqualTo(new PriceVersion(PriceVersion.Origin.DEFAULT,
                Optional.empty(), UsageUnit.EMAIL, new BigDecimal("0.0001"), USD, day("2030-01-16")));
        assertThat(january.total()).isEqualTo(new BigDecimal("0.29"));
        // Past the change, one price, one line.
        assertThat(irisx.tenant(ACME).usage().cost(day("2030-02-01"), day("2030-02-28")).lines())
                .singleElement().satisfies(line -> assertThat(line.amount()).isEqualTo(new BigDecimal("0.05")));
    }

    @Test
    void a_tenants_own_price_wins_over_every_default_from_its_day_and_only_for_it() {
        irisx.prices().setTenantPrice(ACME, UsageUnit.EMAIL, new BigDecimal("0.00005"), day("2030-01-10"));
        irisx.prices().setDefaultPrice(UsageUnit.EMAIL, new BigDecimal("0.0002"), day("2030-01-20"));
        for (TenantId tenant : new TenantId[] {ACME, GLOBEX}) {
            emails(tenant, 1_000, "2030-01-05");
            emails(tenant, 1_000, "2030-01-15");
            emails(tenant, 1_000, "2030-01-25");
        }

        CostReport acme = irisx.tenant(ACME).usage().cost(day("2030-01-01"), day("2030-01-31"));
        CostReport globex = irisx.tenant(GLOBEX).usage().cost(day("2030-01-01"), day("2030-01-31"));

        // Acme: the list's price until its own; then its own, through the default's change.
        assertThat(acme.lines()).extracting(CostLine::from, CostLine::quantity, CostLine::amount).containsExactly(
                tuple(day("2030-01-01"), 1_000L, new BigDecimal("0.09")),
                tuple(day("2030-01-10"), 2_000L, new BigDecimal("0.10")));
        assertThat(acme.lines().get(1).price().origin()).isEqualTo(PriceVersion.Origin.TENANT);
        assertThat(acme.total()).isEqualTo(new BigDecimal("0.19"));
        // Globex: the list's price, then the default's change.
        assertThat(globex.lines()).extracting(CostLine::from, CostLine::to, CostLine::quantity, CostLine::amount)
                .containsExactly(
                        tuple(day("2030-01-01"), day("2030-01-19"), 2_000L,
                                new BigDecimal("0.18")),
                        tuple(day("2030-01-20"), day("2030-01-31"), 1_000L,
                                new BigDecimal("0.20")));
        assertThat(irisx.prices().priceOn(ACME, UsageUnit.EMAIL, day("2030-01-09")).origin())
                .isEqualTo(PriceVersion.Origin.PRICE_LIST);
        assertThat(irisx.prices().priceOn(ACME, UsageUnit.EMAIL, day("2030-01-25")).unitPrice())
                .isEqualTo(new BigDecimal("0.00005"));
        assertThat(irisx.prices().priceOn(GLOBEX, UsageUnit.EMAIL, day("2030-01-25")).unitPrice())
                .isEqualTo(new BigDecimal("0.0002"));
    }

    @Test
    void each_line_is_rounded_half_to_even_to_cents_and_the_total_is_the_sum_of_the_lines() {
        irisx.prices().setTenantPrice(ACME, UsageUnit.SMS_SEGMENT, new BigDecimal("0.005"), day("2030-01-01"));
        irisx.prices().setTenantPrice(ACME, UsageUnit.SMS_SEGMENT, new BigDecimal("0.0125"), day("2030-01-11"));
        segments(ACME, 5, 1, "2030-01-02");      // 5 × 0.005 = 0.025 -> 0.02 (half to even: down)
        segments(ACME, 2, 1, "2030-01-12");      // 2 × 0.0125 = 0.025 -> 0.02

        CostReport report = irisx.tenant(ACME).usage().cost(day("2030-01-01"), day("2030-01-31"));

        assertThat(report.lines()).extracting(CostLine::quantity, CostLine::amount).containsExactly(
                tuple(5L, new BigDecimal("0.02")),
                tuple(2L, new BigDecimal("0.02")));
        // The sum of the rounded lines, not the rounded sum of the products (0.05).
        assertThat(report.total()).isEqualTo(new BigDecimal("0.04"));
        assertThatThrownBy(() -> new CostReport(ACME, report.from(), report.to(), USD, report.lines(),
                new BigDecimal("0.05"))).isInstanceOf(IllegalArgumentException.class);

        irisx.prices().setTenantPrice(GLOBEX, UsageUnit.MMS, new BigDecimal("0.005"), day("2030-01-01"));
        record(GLOBEX, UsageUnit.MMS, "msg_mms", 3, "2030-01-03"); // 3 × 0.005 = 0.015 -> 0.02 (half to even: up)
        emails(GLOBEX, 50, "2030-01-02");                         // 50 × 0.00009 = 0.0045 -> 0.00
        CostReport globex = irisx.tenant(GLOBEX).usage().cost(day("2030-01-01"), day("2030-01-31"));

        assertThat(globex.lines()).extracting(CostLine::unit, CostLine::quantity, CostLine::amount).containsExactly(
                tuple(UsageUnit.EMAIL, 50L, new BigDecimal("0.00")),
                tuple(UsageUnit.MMS, 3L, new BigDecimal("0.02")));
        assertThat(globex.total()).isEqualTo(new BigDecimal("0.02"));
    }

    @Test
    void a_currency_without_cents_rounds_to_whole_units() {
        irisx.close();
        irisx = runtime(PriceList.defaults().in(Currency.getInstance("JPY")).with(UsageUnit.EMAIL,
                new BigDecimal("0.0125")));
        emails(ACME, 200, "2030-01-02"); // 2.5 yen -> 2
        emails(GLOBEX, 280, "2030-01-02"); // 3.5 yen -> 4

        assertThat(irisx.tenant(ACME).usage().cost(day("2030-01-01"), day("2030-01-31")).total())
                .isEqualTo(new BigDecimal("2"));
        assertThat(irisx.tenant(GLOBEX).usage().cost(day("2030-01-01"), day("2030-01-31")).total())
                .isEqualTo(new BigDecimal("4"));
    }

    @Test
    void a_price_version_is_never_rewritten_nor_set_in_the_past() {
        clock.set(Instant.parse("2030-03-10T15:00:00Z"));
        PriceVersion set = irisx.prices().setTenantPrice(ACME, UsageUnit.EMAIL, new BigDecimal("0.000080"),
                day("2030-03-10"));
        assertThat(set.unitPrice()).isEqualTo(new BigDecimal("0.00008"));

        assertThatThrownBy(() -> irisx.prices().setTenantPrice(ACME, UsageUnit.EMAIL, new BigDecimal("0.00001"),
                day("2030-03-10"))).isInstanceOf(ConflictException.class).hasMessageContaining("2030-03-10");
        assertThatThrownBy(() -> irisx.prices().setDefaultPrice(UsageUnit.EMAIL, new BigDecimal("0.00001"),
                day("2030-03-09"))).isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("effectiveFrom");
                    assertThat(e.rejectedValue()).isEqualTo("2030-03-09");
                });
        irisx.prices().setTenantPrice(ACME, UsageUnit.EMAIL, new BigDecimal("0.00007"), day("2030-04-01"));
        clock.advance(Duration.ofDays(60));

        assertThat(irisx.prices().tenantVersions(ACME, UsageUnit.EMAIL)).extracting(PriceVersion::effectiveFrom,
                PriceVersion::unitPrice).containsExactly(
                        tuple(day("2030-03-10"), new BigDecimal("0.00008")),
                        tuple(day("2030-04-01"), new BigDecimal("0.00007")));
        assertThat(irisx.prices().tenantVersions(GLOBEX, UsageUnit.EMAIL)).isEmpty();
        assertThat(irisx.prices().defaultVersions(UsageUnit.EMAIL)).containsExactly(listed(UsageUnit.EMAIL, "0.00009"));
    }

    @Test
    void a_bad_price_or_currency_is_refused_naming_it() {
        assertThatThrownBy(() -> irisx.prices().setTenantPrice(ACME, UsageUnit.EMAIL, new BigDecimal("-0.01"),
                day("2030-01-01"))).isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("unitPrice");
                    assertThat(e.rejectedValue()).isEqualTo("-0.01");
                });
        assertThatThrownBy(() -> irisx.prices().setDefaultPrice(UsageUnit.EMAIL, new BigDecimal("0.0000000000001"),
                day("2030-01-01"))).isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("unitPrice"));
        assertThatThrownBy(() -> irisx.prices().setDefaultPrice(UsageUnit.EMAIL, new BigDecimal("1E+12"),
                day("2030-01-01"))).isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("unitPrice"));
        assertThatThrownBy(() -> PriceList.defaults().in(Currency.getInstance("XAU")))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("currency"));
        assertThatThrownBy(() -> new PriceList(USD, Map.of(UsageUnit.EMAIL, BigDecimal.ONE)))
                .isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("unitPrices.SMS_SEGMENT"));
        assertThat(irisx.prices().defaultVersions(UsageUnit.EMAIL)).hasSize(1);
    }

    @Test
    void prices_stored_in_another_currency_than_the_runtimes_list_are_refused_when_costing() {
        irisx.prices().setTenantPrice(ACME, UsageUnit.EMAIL, new BigDecimal("0.00005"), day("2030-01-01"));
        emails(ACME, 10, "2030-01-02");
        irisx.close();
        irisx = runtime(PriceList.defaults().in(Currency.getInstance("EUR")));

        assertThatThrownBy(() -> irisx.tenant(ACME).usage().cost(day("2030-01-01"), day("2030-01-31")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("USD").hasMessageContaining("EUR");
    }

    private Irisx runtime(PriceList prices) {
        return Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).clock(clock)
                .prices(prices).build();
    }

    private static PriceVersion listed(UsageUnit unit, String price) {
        return new PriceVersion(PriceVersion.Origin.PRICE_LIST, Optional.empty(), unit, new BigDecimal(price), USD,
                LocalDate.EPOCH);
    }

    /** {@code count} emails of {@code tenant} sent on {@code day}, recorded in one transaction. */
    private void emails(TenantId tenant, int count, String day) {
        Instant at = LocalDate.parse(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
        database.inTransaction(connection -> {
            for (int i = 0; i < count; i++) {
                Metering.record(connection, tenant, UsageUnit.EMAIL, "msg_" + day + "_" + i, 1, at);
            }
            return null;
        });
    }

    /** {@code count} SMS of {@code segments} segments each, of {@code tenant}, sent on {@code day}. */
    private void segments(TenantId tenant, int segments, int count, String day) {
        for (int i = 0; i < count; i++) {
            record(tenant, UsageUnit.SMS_SEGMENT, "sms_" + day + "_" + i, segments, day);
        }
    }

    private void record(TenantId tenant, UsageUnit unit, String subject, long quantity, String day) {
        Instant at = LocalDate.parse(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
        database.inTransaction(connection -> Metering.record(connection, tenant, unit, subject, quantity, at));
    }

    private static LocalDate day(String text) {
        return LocalDate.parse(text);
    }
}
