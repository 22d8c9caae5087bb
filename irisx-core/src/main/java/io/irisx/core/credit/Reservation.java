package io.irisx.core.credit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;

/**
 * A price held back from a prepaid tenant's credit for one unit of work, until it is settled (charged) or released;
 * immutable.
 *
 * @param key its idempotency key, e.g. {@code msg_01J…:EMAIL} (a message id and its unit)
 * @param amount what it holds
 * @param currency the ledger's currency
 * @param status whether it still holds, was settled or was released
 * @param createdAt when it was taken
 */
public record Reservation(String key, BigDecimal amount, Currency currency, Status status, Instant createdAt) {

    /** Checks that nothing is missing. */
    public Reservation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Where a reservation stands. */
    public enum Status {
        /** It holds its amount back. */
        OPEN,
        /** It was charged: a {@link EntryKind#DEBIT} closed it. */
        SETTLED,
        /** It was given back: a {@link EntryKind#RELEASE} closed it. */
        RELEASED
    }
}
