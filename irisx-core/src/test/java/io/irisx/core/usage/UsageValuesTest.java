package io.irisx.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The usage and price values check what they hold, and compute their amounts as their Javadoc says. */
class UsageValuesTest {

    private static final Currency USD = Currency.getInstance("USD");
    private static final LocalDate DAY = LocalDate.of(2030, 1, 1);
    private static final TenantId ACME = TenantId.of("acme");

    @Test
    void a_record_of_no_units_is_refused() {
        assertThatThrownBy(() -> new UsageRecord("msg_1:EMAIL", ACME, UsageUnit.EMAIL, "msg_1", 0, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quantity");
    }

    @Test
    void a_price_names_a_tenant_exactly_when_it_is_a_tenants_own() {
        assertThatThrownBy(() -> new PriceVersion(PriceVersion.Origin.TENANT, Optional.empty(), UsageUnit.EMAIL,
                BigDecimal.ONE, USD, DAY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PriceVersion(PriceVersion.Origin.DEFAULT, Optional.of(ACME), UsageUnit.EMAIL,
                BigDecimal.ONE, USD, DAY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_line_is_the_exact_product_rounded_once_half_to_even_to_minor_units() {
        PriceVersion email = price(UsageUnit.EMAIL, "0.00009");

        assertThat(CostLine.of(UsageUnit.EMAIL, DAY, DAY, 1_000, email).amount()).isEqualTo(new BigDecimal("0.09"));
        assertThat(CostLine.of(UsageUnit.EMAIL, DAY, DAY, 50, email).amount()).isEqualTo(new BigDecimal("0.00"));
        // 0.125 and 0.135: half to even, down then up.
        assertThat(CostLine.of(UsageUnit.MMS, DAY, DAY, 25, price(UsageUnit.MMS, "0.005")).amount())
                .isEqualTo(new BigDecimal("0.12"));
        assertThat(CostLine.of(UsageUnit.MMS, DAY, DAY, 27, price(UsageUnit.MMS, "0.005")).amount())
                .isEqualTo(new BigDecimal("0.14"));
        // Far past a double's exactness: 10^15 units at 0.000000000001.
        assertThat(CostLine.of(UsageUnit.TTS_CHARACTER, DAY, DAY, 1_000_000_000_000_000L,
                price(UsageUnit.TTS_CHARACTER, "0.000000000001")).amount()).isEqualTo(new BigDecimal("1000.00"));
    }

    @Test
    void a_line_checks_its_days_and_its_price_unit() {
        assertThatThrownBy(() -> CostLine.of(UsageUnit.EMAIL, DAY, DAY.minusDays(1), 1, price(UsageUnit.EMAIL, "1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CostLine.of(UsageUnit.MMS, DAY, DAY, 1, price(UsageUnit.EMAIL, "1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_report_is_in_one_currency_and_totals_its_lines() {
        CostLine line = CostLine.of(UsageUnit.EMAIL, DAY, DAY, 1_000, price(UsageUnit.EMAIL, "0.00009"));

        assertThat(CostReport.of(ACME, DAY, DAY, USD, List.of(line, line)).total()).isEqualTo(new BigDecimal("0.18"));
        assertThat(CostReport.of(ACME, DAY, DAY, USD, List.of()).total()).isEqualTo(new BigDecimal("0.00"));
        assertThatThrownBy(() -> CostReport.of(ACME, DAY, DAY, Currency.getInstance("EUR"), List.of(line)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("USD");
    }

    @Test
    void a_price_list_prices_every_unit_and_changes_by_copy() {
        PriceList defaults = PriceList.defaults();
        PriceList cheaper = defaults.with(UsageUnit.EMAIL, new BigDecimal("0.000050"));

        assertThat(defaults.unitPrice(UsageUnit.EMAIL)).isEqualTo(new BigDecimal("0.00009"));
        assertThat(cheaper.unitPrice(UsageUnit.EMAIL)).isEqualTo(new BigDecimal("0.00005"));
        assertThat(cheaper.unitPrices()).containsOnlyKeys(UsageUnit.values());
        assertThat(defaults.in(Currency.getInstance("EUR")).currency().getCurrencyCode()).isEqualTo("EUR");
        assertThatThrownBy(() -> cheaper.unitPrices().put(UsageUnit.EMAIL, BigDecimal.ZERO))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static PriceVersion price(UsageUnit unit, String price) {
        return new PriceVersion(PriceVersion.Origin.PRICE_LIST, Optional.empty(), unit, new BigDecimal(price), USD,
                LocalDate.EPOCH);
    }
}
