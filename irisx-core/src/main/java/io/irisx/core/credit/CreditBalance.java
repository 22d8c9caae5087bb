package io.irisx.core.credit;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * A tenant's credit at one moment, the totals of its ledger's entries; immutable. Amounts are exact, with
 * at least the currency's minor-unit digits ({@code 10.00}) and more where reservations of small unit prices left
 * them ({@code 9.99991}).
 *
 * @param currency the ledger's currency
 * @param balance the sum of the entries' amounts: what was paid in, less what was charged, refunded or disputed
 * @param reserved the sum of the entries' holds: what open reservations hold back
 */
public record CreditBalance(Currency currency, BigDecimal balance, BigDecimal reserved) {

    /** Checks that nothing is missing. */
    public CreditBalance {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(reserved, "reserved");
    }

    /** What a new reservation may take: the balance less what is reserved (negative when overdrawn). */
    public BigDecimal available() {
        return balance.subtract(reserved);
    }
}
