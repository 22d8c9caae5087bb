package io.irisx.core.credit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a tenant's {@link CreditLedger}, as stored; immutable. Entries are only ever added: the balance is the
 * sum of every entry's {@link #amount}, the reserved credit the sum of every entry's {@link #held}.
 *
 * @param id the entry's id ({@code cre_…}), time-sortable: the ledger's order
 * @param kind what it records
 * @param reference its idempotency key within its kind: a payment id, a reservation key, the host's own reference;
 *     a second operation of the same kind and reference adds nothing
 * @param amount what it adds to the balance: positive for top-ups and credits, negative for debits, refunds and
 *     disputes, zero for reservations and releases
 * @param held what it adds to the reserved credit: positive for a reservation, negative for its settlement or
 *     release, zero otherwise
 * @param currency the ledger's currency
 * @param note the host's reason for an adjustment, or what the payment provider said; empty when none
 * @param createdAt when it was written
 */
public record CreditEntry(String id, EntryKind kind, String reference, BigDecimal amount, BigDecimal held,
        Currency currency, Optional<String> note, Instant createdAt) {

    /** Checks that nothing is missing. */
    public CreditEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
