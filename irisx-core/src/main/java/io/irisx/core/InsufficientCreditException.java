package io.irisx.core;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * A prepaid tenant's available credit (its balance less what is reserved) does not cover what a send would cost:
 * nothing was stored or sent. The host tops the tenant's credit up, or switches it to postpaid, and sends again.
 */
public class InsufficientCreditException extends IrisxException {

    private final TenantId tenant;
    private final BigDecimal needed;
    private final BigDecimal available;
    private final Currency currency;

    /**
     * @param tenant the prepaid tenant
     * @param needed what the send would reserve
     * @param available the tenant's available credit at the time, which may be negative
     * @param currency the currency of both amounts
     */
    public InsufficientCreditException(TenantId tenant, BigDecimal needed, BigDecimal available, Currency currency) {
        super("tenant " + Objects.requireNonNull(tenant, "tenant") + " has " + Objects.requireNonNull(available,
                "available").toPlainString() + " " + Objects.requireNonNull(currency, "currency").getCurrencyCode()
                + " of credit available and this needs " + Objects.requireNonNull(needed, "needed").toPlainString()
                + " " + currency.getCurrencyCode() + ": top its credit up (or make it postpaid) and send again");
        this.tenant = tenant;
        this.needed = needed;
        this.available = available;
        this.currency = currency;
    }

    /** The prepaid tenant. */
    public TenantId tenant() {
        return tenant;
    }

    /** What the send would have reserved. */
    public BigDecimal needed() {
        return needed;
    }

    /** The tenant's available credit when it was refused: its balance less what is reserved. */
    public BigDecimal available() {
        return available;
    }

    /** The currency of both amounts. */
    public Currency currency() {
        return currency;
    }
}
