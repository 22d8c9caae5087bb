package io.irisx.core.usage;

import java.time.YearMonth;
import java.util.Objects;

/**
 * The usage of one unit in one month (its UTC days), summed over the tenant's records; immutable.
 *
 * @param month the month
 * @param unit the unit
 * @param quantity the sum of the month's records' quantities
 * @param records how many records the sum counts (emails, messages, calls)
 */
public record MonthlyUsage(YearMonth month, UsageUnit unit, long quantity, long records) {

    /** Checks every field. */
    public MonthlyUsage {
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(unit, "unit");
    }
}
