package io.irisx.core.usage;

import io.irisx.core.TenantId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * What a tenant's usage over some days costs: a line per unit and price, in exact decimal arithmetic; immutable.
 * Each line's amount is rounded half to even to the currency's minor units ({@link CostLine}); the total is the
 * exact sum of the lines' amounts, so it is never rounded again and always adds up on an invoice.
 *
 * @param tenant the tenant
 * @param from the first UTC day reported
 * @param to the last UTC day reported, included
 * @param currency the currency of every amount
 * @param lines a line for each unit and each price that applied to some of its usage, by unit then day; none for
 *     a unit not used
 * @param total the sum of the lines' amounts, at the currency's minor units
 */
public record CostReport(TenantId tenant, LocalDate from, LocalDate to, Currency currency, List<CostLine> lines,
        BigDecimal total) {

    /** Checks every field: the lines are in the report's currency and the total is their sum. */
    public CostReport {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(currency, "currency");
        lines = List.copyOf(lines);
        Objects.requireNonNull(total, "total");
        for (CostLine line : lines) {
            if (!line.price().currency().equals(currency)) {
                throw new IllegalArgumentException("a line of " + line.unit() + " is priced in "
                        + line.price().currency() + ", not the report's " + currency);
            }
        }
        if (total.compareTo(sum(lines, currency)) != 0) {
            throw new IllegalArgumentException("total " + total + " is not the sum of the lines, "
                    + sum(lines, currency));
        }
    }

    /** The report of {@code lines}, its total their sum. */
    public static CostReport of(TenantId tenant, LocalDate from, LocalDate to, Currency currency,
            List<CostLine> lines) {
        return new CostReport(tenant, from, to, currency, lines, sum(lines, currency));
    }

    private static BigDecimal sum(List<CostLine> lines, Currency currency) {
        BigDecimal sum = BigDecimal.ZERO.setScale(currency.getDefaultFractionDigits());
        for (CostLine line : lines) {
            sum = sum.add(line.amount());
        }
        return sum;
    }
}
