package io.irisx.core.credit;

import io.irisx.core.ConflictException;
import io.irisx.core.InsufficientCreditException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.credit.internal.Amounts;
import io.irisx.core.credit.internal.CreditStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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

    private static void check(Connection connection, TenantId tenant, String key, Instant at) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(at, "at");
        Amounts.reference("key", key);
    }
}
