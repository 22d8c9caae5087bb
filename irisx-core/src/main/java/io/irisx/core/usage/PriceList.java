package io.irisx.core.usage;

import io.irisx.core.IrisxValidationException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The runtime's default prices, one per {@link UsageUnit}, in one currency: what every tenant pays unless the price
 * book holds a later default or a tenant's own price ({@link PriceBook}). Given to
 * {@link io.irisx.core.Irisx.Builder#prices(PriceList)}; {@link #defaults()} when none is. Immutable.
 *
 * <p>A unit price is a price for one unit, in the currency's major unit, with up to 12 digits after the point:
 * email at $0.09 per 1,000 is {@code 0.00009}.
 *
 * @param currency the currency of every price, and of the cost reports
 * @param unitPrices the price of one unit, for every unit
 */
public record PriceList(Currency currency, Map<UsageUnit, BigDecimal> unitPrices) {

    /**
     * Checks every price (zero or more, at most 12 digits before and after the point) and that every unit has one,
     * and keeps an immutable copy.
     *
     * @throws IrisxValidationException naming the field when a price or the currency is refused
     */
    public PriceList {
        UnitPrices.check(currency);
        Objects.requireNonNull(unitPrices, "unitPrices");
        EnumMap<UsageUnit, BigDecimal> checked = new EnumMap<>(UsageUnit.class);
        for (UsageUnit unit : UsageUnit.values()) {
            BigDecimal price = unitPrices.get(unit);
            if (price == null) {
                throw new IrisxValidationException("unitPrices." + unit, null, "is missing: a price list prices"
                        + " every unit");
            }
            checked.put(unit, UnitPrices.check("unitPrices." + unit, price));
        }
        unitPrices = Collections.unmodifiableMap(checked);
    }

    /**
     * IRISX's default prices, in US dollars: email $0.09 per 1,000 ({@code 0.00009}); an SMS segment $0.0079; an
     * MMS $0.02; a call second $0.00025 ($0.015 a minute); a text-to-speech character $0.000016 ($16 per million);
     * a webhook delivery $0.0001 ($0.10 per 1,000).
     */
    public static PriceList defaults() {
        Map<UsageUnit, BigDecimal> prices = new EnumMap<>(UsageUnit.class);
        prices.put(UsageUnit.EMAIL, new BigDecimal("0.00009"));
        prices.put(UsageUnit.SMS_SEGMENT, new BigDecimal("0.0079"));
        prices.put(UsageUnit.MMS, new BigDecimal("0.02"));
        prices.put(UsageUnit.CALL_SECOND, new BigDecimal("0.00025"));
        prices.put(UsageUnit.TTS_CHARACTER, new BigDecimal("0.000016"));
        prices.put(UsageUnit.WEBHOOK_DELIVERY, new BigDecimal("0.0001"));
        return new PriceList(Currency.getInstance("USD"), prices);
    }

    /** This list with {@code unit} priced at {@code unitPrice}. */
    public PriceList with(UsageUnit unit, BigDecimal unitPrice) {
        Objects.requireNonNull(unit, "unit");
        Map<UsageUnit, BigDecimal> prices = new EnumMap<>(unitPrices);
        prices.put(unit, unitPrice);
        return new PriceList(currency, prices);
    }

    /** This list's prices, in {@code currency}: the same numbers, now meaning that currency. */
    public PriceList in(Currency currency) {
        return new PriceList(currency, unitPrices);
    }

    /** The price of one {@code unit}. */
    public BigDecimal unitPrice(UsageUnit unit) {
        return unitPrices.get(Objects.requireNonNull(unit, "unit"));
    }
}
