package io.irisx.core.usage;

import io.irisx.core.TenantId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of one unit's price: the price of a unit from a UTC day on, until a later version of the same scope
 * takes over; immutable. Versions are only ever added, never changed, so a cost once reported stays the same.
 *
 * @param origin where the price comes from
 * @param tenant the tenant whose own price it is, for {@link Origin#TENANT}; empty otherwise
 * @param unit the unit priced
 * @param unitPrice the price of one unit, in {@code currency}'s major unit
 * @param currency the price's currency
 * @param effectiveFrom the first UTC day it applies to ({@code 1970-01-01} for the price list's)
 */
public record PriceVersion(Origin origin, Optional<TenantId> tenant, UsageUnit unit, BigDecimal unitPrice,
        Currency currency, LocalDate effectiveFrom) {

    /** Where a price comes from; a tenant's own price wins over the defaults from its day on. */
    public enum Origin {
        /** The runtime's {@link PriceList}, given to its builder. */
        PRICE_LIST,
        /** A default set for every tenant with {@link PriceBook#setDefaultPrice}. */
        DEFAULT,
        /** A tenant's own price, set with {@link PriceBook#setTenantPrice}. */
        TENANT
    }

    /** Checks every field: a tenant is named exactly for a tenant's own price. */
    public PriceVersion {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        if (tenant.isPresent() != (origin == Origin.TENANT)) {
            throw new IllegalArgumentException("a tenant is named exactly for a TENANT price; origin " + origin
                    + ", tenant " + tenant);
        }
    }
}
