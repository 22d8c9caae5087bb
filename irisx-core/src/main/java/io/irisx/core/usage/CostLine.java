package io.irisx.core.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One line of a {@link CostReport}: the quantity of one unit used over the days one price applied, and what it
 * costs; immutable. The amount is the exact product of the quantity and the unit price, rounded once, half to even
 * ({@link RoundingMode#HALF_EVEN}, banker's rounding), to the currency's minor units (cents for USD): 1,000 emails at
 * {@code 0.00009} cost {@code 0.09}; 50 cost {@code 0.0045}, which is {@code 0.00}.
 *
 * @param unit the unit
 * @param from the first day of the line (the report's first day, or the day its price took effect)
 * @param to the last day of the line, included
 * @param quantity the units used over those days
 * @param price the price that applied on each of those days
 * @param amount {@code quantity × price.unitPrice()}, rounded half to even to the currency's minor units
 */
public record CostLine(UsageUnit unit, LocalDate from, LocalDate to, long quantity, PriceVersion price,
        BigDecimal amount) {

    /** Checks every field. */
    public CostLine {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(amount, "amount");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to " + to + " is before from " + from);
        }
        if (price.unit() != unit) {
            throw new IllegalArgumentException("the price of " + price.unit() + " cannot price " + unit);
        }
    }

    /** The line of {@code quantity} units at {@code price}, its amount computed and rounded as the class says. */
    public static CostLine of(UsageUnit unit, LocalDate from, LocalDate to, long quantity, PriceVersion price) {
        BigDecimal amount = price.unitPrice().multiply(BigDecimal.valueOf(quantity))
                .setScale(price.currency().getDefaultFractionDigits(), RoundingMode.HALF_EVEN);
        return new CostLine(unit, from, to, quantity, price, amount);
    }
}
