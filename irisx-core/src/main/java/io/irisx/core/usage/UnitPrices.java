package io.irisx.core.usage;

import io.irisx.core.IrisxValidationException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** Checks prices and currencies as the price book stores them ({@code NUMERIC(24, 12)}). Stateless. */
final class UnitPrices {

    /** The most digits after the decimal point a unit price keeps. */
    static final int MAX_SCALE = 12;
    /** The most digits before the decimal point a unit price keeps. */
    static final int MAX_WHOLE_DIGITS = 12;

    private UnitPrices() {
    }

    /**
     * {@code price}, without trailing zeros (and never with a negative scale), checked to be zero or more and to fit
     * 12 digits before and after the point.
     *
     * @throws IrisxValidationException naming {@code field} when it does not
     */
    static BigDecimal check(String field, BigDecimal price) {
        Objects.requireNonNull(price, field);
        if (price.signum() < 0) {
            throw new IrisxValidationException(field, price.toPlainString(), "must be zero or more");
        }
        BigDecimal stripped = price.stripTrailingZeros();
        if (stripped.scale() < 0) {
            stripped = stripped.setScale(0);
        }
        if (stripped.scale() > MAX_SCALE || stripped.precision() - stripped.scale() > MAX_WHOLE_DIGITS) {
            throw new IrisxValidationException(field, price.toPlainString(), "must have at most " + MAX_WHOLE_DIGITS
                    + " digits before the decimal point and " + MAX_SCALE + " after it");
        }
        return stripped;
    }

    /**
     * {@code currency}, checked to have minor units, which the cost report rounds its line totals to.
     *
     * @throws IrisxValidationException naming {@code currency} when it has none (such as XXX or XAU)
     */
    static Currency check(Currency currency) {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IrisxValidationException("currency", currency.getCurrencyCode(),
                    "has no minor units to round costs to; use a currency such as USD or EUR");
        }
        return currency;
    }
}
