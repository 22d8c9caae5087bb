package io.irisx.core.usage;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The usage of one unit on one UTC day, summed over the tenant's records; immutable.
 *
 * @param day the UTC day
 * @param unit the unit
 * @param quantity the sum of the day's records' quantities
 * @param records how many records the sum counts (emails, messages, calls)
 */
public record DailyUsage(LocalDate day, UsageUnit unit, long quantity, long records) {

    /** Checks every field. */
    public DailyUsage {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(unit, "unit");
    }
}
