package io.irisx.core.credit.internal;

import io.irisx.core.IrisxValidationException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * The checks of the amounts, references and currencies the credit API takes, and the scale amounts are shown at;
 * stateless. Not API.
 *
 * <p>Money that moves (top-ups, refunds, disputes, direct debits, adjustments) has at most the currency's minor-unit
 * digits (2 for USD); a reservation or a settlement — a unit price times a quantity — has at most
 * {@value #PRICE_SCALE} digits after the point, as the price book's unit prices do. Every amount is below
 * 10<sup>{@value #INTEGER_DIGITS}</sup> in size, what the ledger's {@code NUMERIC(24, 12)} columns hold.
 */
public final class Amounts {

    /** The most digits after the point of a reservation or settlement, and of the ledger's columns. */
    public static final int PRICE_SCALE = 12;
    /** The most digits before the point. */
    public static final int INTEGER_DIGITS = 12;
    private static final int MAX_REFERENCE = 200;

    private Amounts() {
    }

    /**
     * {@code amount} checked as money that moves in {@code currency}: positive (or, with {@code signed}, not zero),
     * at most the currency's minor-unit digits after the point.
     *
     * @throws IrisxValidationException naming {@code field} otherwise
     */
    public static BigDecimal money(String field, BigDecimal amount, Currency currency, boolean signed) {
        check(field, amount, currency.getDefaultFractionDigits(), "the currency's minor units ("
                + currency.getCurrencyCode() + ")");
        if (signed ? amount.signum() == 0 : amount.signum() <= 0) {
            throw new IrisxValidationException(field, amount.toPlainString(), signed ? "must not be zero"
                    : "must be positive");
        }
        return amount;
    }

    /**
     * {@code amount} checked as a price: positive, or with {@code zeroAllowed} zero or more; at most
     * {@value #PRICE_SCALE} digits after the point.
     *
     * @throws IrisxValidationException naming {@code field} otherwise
     */
    public static BigDecimal price(String field, BigDecimal amount, boolean zeroAllowed) {
        check(field, amount, PRICE_SCALE, PRICE_SCALE + " digits");
        if (zeroAllowed ? amount.signum() < 0 : amount.signum() <= 0) {
            throw new IrisxValidationException(field, amount.toPlainString(), zeroAllowed ? "must not be negative"
                    : "must be positive");
        }
        return amount;
    }

    /**
     * {@code reference} checked as an idempotency key or reference: 1 to 200 characters, not blank, without control
     * characters.
     *
     * @throws IrisxValidationException naming {@code field} otherwise
     */
    public static String reference(String field, String reference) {
        if (reference == null || reference.isBlank() || reference.length() > MAX_REFERENCE
                || reference.chars().anyMatch(Character::isISOControl)) {
            throw new IrisxValidationException(field, reference, "must be 1 to " + MAX_REFERENCE
                    + " characters, not blank, without control characters");
        }
        return reference;
    }

    /**
     * {@code currency} checked as a ledger's currency: one with minor units (not a fund or metal code).
     *
     * @throws IrisxValidationException naming {@code currency} otherwise
     */
    public static Currency currency(Currency currency) {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IrisxValidationException("currency", currency.getCurrencyCode(), "has no minor units: use a"
                    + " currency such as USD or EUR");
        }
        return currency;
    }

    /**
     * {@code amount} as the API shows it: exact, without trailing zeros beyond the currency's minor-unit digits
     * ({@code 10.000000000000} is {@code 10.00}, {@code 0.000090000000} is {@code 0.00009}).
     */
    public static BigDecimal shown(BigDecimal amount, Currency currency) {
        BigDecimal stripped = amount.stripTrailingZeros();
        int digits = currency.getDefaultFractionDigits();
        return stripped.scale() < digits ? stripped.setScale(digits) : stripped;
    }

    private static void check(String field, BigDecimal amount, int scale, String scaleName) {
        if (amount == null) {
            throw new IrisxValidationException(field, null, "is required");
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > scale) {
            throw new IrisxValidationException(field, amount.toPlainString(), "has more digits after the point than "
                    + scaleName + " allow: at most " + scale);
        }
        if (stripped.precision() - stripped.scale() > INTEGER_DIGITS) {
            throw new IrisxValidationException(field, amount.toPlainString(), "must be below 10^" + INTEGER_DIGITS);
        }
    }
}
