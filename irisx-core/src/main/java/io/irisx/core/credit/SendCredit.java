package io.irisx.core.credit;

import io.irisx.core.ConflictException;
import io.irisx.core.InsufficientCreditException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.credit.internal.Amounts;
import io.irisx.core.credit.internal.CreditStore;
import io.irisx.core.spi.Metering;
import io.irisx.core.usage.PriceBook;
import io.irisx.core.usage.UsageUnit;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The credit calls a channel makes in its own transactions, on its own connection: reserve a send's price in the
 * send transaction (before anything is stored, so a refusal stores nothing), settle it in the transaction that makes
 * the unit billable, release it in the one that fails it for good. Stateless and thread-safe. For the channel
 * modules; a host reaches a tenant's ledger through {@link io.irisx.core.Tenant#credit()}.
 *
 * <p>A reservation of a PREPAID tenant locks its account row until the transaction ends, so that its concurrent
 * sends, in any number of processes on one database, take their reservations one at a time and never overdraw its
 * credit. A POSTPAID tenant's calls read one row and write nothing.
 */
public final class SendCredit {

    private SendCredit() {
    }

    /**
     * Reserves {@code amount} for {@code tenant}'s unit of work {@code key} (a message id and its unit, e.g.
     * {@code msg_01J…:SMS_SEGMENT}) when it is PREPAID; empty, writing nothing, when it is POSTPAID. A key reserved
     * before returns that reservation, so a send retried with the same idempotency key reserves once.
     *
     * @throws InsufficientCreditException when the tenant is PREPAID and its available credit is less than
     *     {@code amount}: the caller rolls its transaction back
     * @throws IrisxValidationException when the amount is not positive or has more than 12 digits after the point,
     *     or the key is blank or over 200 characters
     * @throws ConflictException when the key reserved another amount before
     */
    public static Optional<Reservation> reserve(Connection connection, TenantId tenant, BigDecimal amount, String key,
            Instant at) throws SQLException {
        check(connection, tenant, key, at);
        Amounts.price("amount", amount, false);
        return CreditStore.reserve(connection, tenant, amount, key, at);
    }

    /**
     * Settles {@code tenant}'s reservation {@code key}, debiting {@code actual} and freeing what was reserved; empty
     * when it has no such reservation (it is POSTPAID, or was when the work was sent). A repeat (a redelivery) returns
     * the first settlement.
     *
     * @throws ConflictException when the reservation was released
     * @throws IrisxValidationException when {@code actual} is negative or has more than 12 digits after the point
     */
    public static Optional<CreditEntry> settle(Connection connection, TenantId tenant, String key, BigDecimal actual,
            Instant at) throws SQLException {
        check(connection, tenant, key, at);
        Amounts.price("actual", actual, true);
        return CreditStore.settle(connection, tenant, key, actual, at);
    }

    /**
     * Releases {@code tenant}'s reservation {@code key} unspent; empty when it has no such reservation, else whether
     * this call released it (false when it was settled or released before).
     */
    public static Optional<Boolean> release(Connection connection, TenantId tenant, String key, Instant at)
            throws SQLException {
        check(connection, tenant, key, at);
        return CreditStore.release(connection, tenant, key, at);
    }

    /**
     * Reserves, for a PREPAID {@code tenant}, the price of {@code quantity} units of {@code unit} of {@code subject}
     * (a message id) at the tenant's price in {@code prices} on the day of {@code at}, under the unit's usage key
     * ({@link Metering#key}); empty, reading no price and writing nothing, when the tenant is POSTPAID. The price is
     * read only for a PREPAID tenant.
     *
     * @throws InsufficientCreditException when the tenant's available credit is less than the price
     */
    public static Optional<Reservation> reserve(Connection connection, TenantId tenant, PriceBook prices,
            UsageUnit unit, long quantity, String subject, Instant at) throws SQLException {
        Objects.requireNonNull(prices, "prices");
        String key = Metering.key(subject, unit);
        check(connection, tenant, key, at);
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be 1 or more, was " + quantity + " (of " + key + ")");
        }
        Optional<CreditStore.Account> account = CreditStore.account(connection, tenant, false);
        if (account.isEmpty() || account.get().mode() != BillingMode.PREPAID) {
            return Optional.empty();
        }
        BigDecimal price = prices.priceOn(connection, tenant, unit, LocalDate.ofInstant(at, ZoneOffset.UTC))
                .unitPrice().multiply(BigDecimal.valueOf(quantity));
        return CreditStore.reserve(connection, tenant, price, key, at);
    }

    /**
     * Settles, at the amount it reserved, {@code tenant}'s reservation for {@code unit} of {@code subject}, in the
     * transaction that makes it billable; empty when there is none (the tenant was POSTPAID when it sent). A repeat
     * returns the first settlement.
     */
    public static Optional<CreditEntry> settleReserved(Connection connection, TenantId tenant, UsageUnit unit,
            String subject, Instant at) throws SQLException {
        String key = Metering.key(subject, unit);
        check(connection, tenant, key, at);
        Optional<Reservation> reservation = CreditStore.reservation(connection, tenant, key);
        if (reservation.isEmpty()) {
            return Optional.empty();
        }
        return CreditStore.settle(connection, tenant, key, reservation.get().amount(), at);
    }

    /**
     * Settles {@code tenant}'s reservation for {@code unit} of {@code subject} at the price of the {@code used} units
     * the work turned out to take (a call reserves its time limit's seconds and uses its duration's), at the tenant's
     * price in {@code prices} on the day of {@code pricedAt} (when the work was sent, as its reservation was priced);
     * empty, reading no price, when there is no reservation. The charge may differ from the amount reserved either
     * way; what was reserved is freed. A repeat returns the first settlement.
     */
    public static Optional<CreditEntry> settleUsed(Connection connection, TenantId tenant, PriceBook prices,
            UsageUnit unit, String subject, long used, Instant pricedAt, Instant at) throws SQLException {
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(pricedAt, "pricedAt");
        String key = Metering.key(subject, unit);
        check(connection, tenant, key, at);
        if (used < 0) {
            throw new IllegalArgumentException("used must be 0 or more, was " + used + " (of " + key + ")");
        }
        if (CreditStore.reservation(connection, tenant, key).isEmpty()) {
            return Optional.empty();
        }
        BigDecimal price = prices.priceOn(connection, tenant, unit, LocalDate.ofInstant(pricedAt, ZoneOffset.UTC))
                .unitPrice().multiply(BigDecimal.valueOf(used));
        return CreditStore.settle(connection, tenant, key, price, at);
    }

    /**
     * Releases, unspent, {@code tenant}'s reservation for {@code unit} of {@code subject}, in the transaction that
     * fails it for good; empty when there is none.
     */
    public static Optional<Boolean> releaseReserved(Connection connection, TenantId tenant, UsageUnit unit,
            String subject, Instant at) throws SQLException {
        return release(connection, tenant, Metering.key(subject, unit), at);
    }

    private static void check(Connection connection, TenantId tenant, String key, Instant at) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(at, "at");
        Amounts.reference("key", key);
    }
}
