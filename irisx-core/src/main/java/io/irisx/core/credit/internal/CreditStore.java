package io.irisx.core.credit.internal;

import io.irisx.core.ConflictException;
import io.irisx.core.InsufficientCreditException;
import io.irisx.core.TenantId;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.CreditBalance;
import io.irisx.core.credit.CreditEntry;
import io.irisx.core.credit.EntryKind;
import io.irisx.core.credit.Reservation;
import io.irisx.core.internal.IdCodec;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * The credit ledger's SQL, each operation on the caller's connection and in its transaction; stateless. Not API.
 *
 * <p>Every write but a settlement or release first locks the tenant's account row ({@code SELECT … FOR UPDATE},
 * creating it POSTPAID in the default currency when missing), so a tenant's reservations and credits run one at a
 * time and a reservation's balance check sees every one committed before it. A settlement or release needs no lock:
 * its key ({@code close:<reservation key>}) is unique, so of two racing closes one inserts and the other finds it.
 */
public final class CreditStore {

    /** A ledger's currency until the host sets another. */
    public static final Currency DEFAULT_CURRENCY = Currency.getInstance("USD");
    /** The prefix of entry ids. */
    public static final String ENTRY_PREFIX = "cre";

    private static final String ENTRY_COLUMNS = "id, kind, reference, amount, held, currency, note, created_at";

    /** A tenant's billing mode and ledger currency. */
    public record Account(BillingMode mode, Currency currency) {
    }

    /** A top-up asked of a payment provider, and whose it is. */
    public record Payment(String provider, String paymentId, TenantId tenant, BigDecimal amount, Currency currency) {
    }

    private CreditStore() {
    }

    /** The tenant's account, locked when {@code lock}; empty when it has none (it is then POSTPAID in USD). */
    public static Optional<Account> account(Connection connection, TenantId tenant, boolean lock)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT billing_mode, currency"
                + " FROM irisx_credit_accounts WHERE tenant_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, tenant.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Account(BillingMode.valueOf(rs.getString(1)),
                        Currency.getInstance(rs.getString(2)))) : Optional.empty();
            }
        }
    }

    /** The tenant's account, locked until the transaction ends; created POSTPAID in USD when it has none. */
    public static Account lockAccount(Connection connection, TenantId tenant, Instant at) throws SQLException {
        Optional<Account> account = account(connection, tenant, true);
        if (account.isPresent()) {
            return account.get();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_credit_accounts (tenant_id,"
                + " billing_mode, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, tenant.value());
            insert.setString(2, BillingMode.POSTPAID.name());
            insert.setString(3, DEFAULT_CURRENCY.getCurrencyCode());
            insert.setLong(4, at.toEpochMilli());
            insert.setLong(5, at.toEpochMilli());
            insert.executeUpdate();
        }
        return account(connection, tenant, true).orElseThrow();
    }

    /** Sets the tenant's billing mode, creating its account when it has none. */
    public static void setMode(Connection connection, TenantId tenant, BillingMode mode, Instant at)
            throws SQLException {
        lockAccount(connection, tenant, at);
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_credit_accounts"
                + " SET billing_mode = ?, updated_at = ? WHERE tenant_id = ?")) {
            update.setString(1, mode.name());
            update.setLong(2, at.toEpochMilli());
            update.setString(3, tenant.value());
            update.executeUpdate();
        }
    }

    /**
     * Sets the tenant's ledger currency, creating its account when it has none.
     *
     * @throws ConflictException when its ledger has entries in another currency
     */
    public static void setCurrency(Connection connection, TenantId tenant, Currency currency, Instant at)
            throws SQLException {
        Account account = lockAccount(connection, tenant, at);
        if (account.currency().equals(currency)) {
            return;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM irisx_credit_entries"
                + " WHERE tenant_id = ?")) {
            select.setString(1, tenant.value());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new ConflictException("tenant " + tenant + "'s credit ledger has entries in "
                            + account.currency().getCurrencyCode() + "; its currency cannot change to "
                            + currency.getCurrencyCode());
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_credit_accounts"
                + " SET currency = ?, updated_at = ? WHERE tenant_id = ?")) {
            update.setString(1, currency.getCurrencyCode());
            update.setLong(2, at.toEpochMilli());
            update.setString(3, tenant.value());
            update.executeUpdate();
        }
    }

    /**
     * The tenant's balance and reserved credit: the running totals of its entries, kept on its account row in each
     * entry's transaction (zero when it has no account).
     */
    public static CreditBalance balance(Connection connection, TenantId tenant, Currency currency)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT balance_total, held_total"
                + " FROM irisx_credit_accounts WHERE tenant_id = ?")) {
            select.setString(1, tenant.value());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return new CreditBalance(currency, Amounts.shown(BigDecimal.ZERO, currency),
                            Amounts.shown(BigDecimal.ZERO, currency));
                }
                return new CreditBalance(currency, Amounts.shown(rs.getBigDecimal(1), currency),
                        Amounts.shown(rs.getBigDecimal(2), currency));
            }
        }
    }

    /** The tenant's balance and reserved credit summed from its entries: what the running totals must equal. */
    public static CreditBalance summed(Connection connection, TenantId tenant, Currency currency)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE(SUM(amount), 0),"
                + " COALESCE(SUM(held), 0) FROM irisx_credit_entries WHERE tenant_id = ?")) {
            select.setString(1, tenant.value());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new CreditBalance(currency, Amounts.shown(rs.getBigDecimal(1), currency),
                        Amounts.shown(rs.getBigDecimal(2), currency));
            }
        }
    }

    /** A page of the tenant's entries after entry {@code after}, oldest first. */
    public static List<CreditEntry> list(Connection connection, TenantId tenant, Optional<String> after, int limit)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ENTRY_COLUMNS
                + " FROM irisx_credit_entries WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT " + limit)) {
            select.setString(1, tenant.value());
            select.setString(2, after.orElse(""));
            return entries(select);
        }
    }

    /** The entry of kind {@code kind} and reference {@code reference}, if the tenant has it. */
    public static Optional<CreditEntry> entry(Connection connection, TenantId tenant, EntryKind kind,
            String reference) throws SQLException {
        return entry(connection, tenant, key(kind, reference));
    }

    /**
     * Adds an entry of {@code kind} moving {@code amount} (already checked), keyed by {@code reference} within its
     * kind; when the tenant has that entry already, adds nothing and returns it.
     *
     * @throws ConflictException when the existing entry moved another amount
     */
    public static CreditEntry post(Connection connection, TenantId tenant, EntryKind kind, BigDecimal amount,
            String reference, Optional<String> note, Optional<String> paymentId, Instant at) throws SQLException {
        Account account = lockAccount(connection, tenant, at);
        String key = key(kind, reference);
        Optional<CreditEntry> existing = entry(connection, tenant, key);
        if (existing.isEmpty() && insert(connection, tenant, key, kind, reference, amount, BigDecimal.ZERO,
                account.currency(), note, paymentId, at)) {
            return entry(connection, tenant, key).orElseThrow();
        }
        CreditEntry entry = existing.isPresent() ? existing.get() : entryOrThrow(connection, tenant, key);
        if (entry.amount().compareTo(amount) != 0) {
            throw new ConflictException("tenant " + tenant + " has a " + kind + " '" + reference + "' of "
                    + entry.amount().toPlainString() + " already; a repeat must be of the same amount, not "
                    + amount.toPlainString());
        }
        return entry;
    }

    /**
     * Reserves {@code amount} (already checked) under {@code key} for a PREPAID tenant, after checking that its
     * available credit covers it; empty for a POSTPAID tenant. A key reserved before returns that reservation.
     *
     * @throws InsufficientCreditException when the available credit is less than {@code amount}
     * @throws ConflictException when {@code key} reserved another amount before
     */
    public static Optional<Reservation> reserve(Connection connection, TenantId tenant, BigDecimal amount, String key,
            Instant at) throws SQLException {
        // Unlocked first: a POSTPAID tenant's sends must not queue behind one another on its account row.
        Optional<Account> unlocked = account(connection, tenant, false);
        if (unlocked.isEmpty() || unlocked.get().mode() != BillingMode.PREPAID) {
            return Optional.empty();
        }
        Account account = account(connection, tenant, true).orElseThrow();
        if (account.mode() != BillingMode.PREPAID) {
            return Optional.empty();
        }
        Optional<Reservation> existing = reservation(connection, tenant, key);
        if (existing.isPresent()) {
            if (existing.get().amount().compareTo(amount) != 0) {
                throw new ConflictException("reservation '" + key + "' of tenant " + tenant + " holds "
                        + existing.get().amount().toPlainString() + " already; a repeat must be of the same amount,"
                        + " not " + amount.toPlainString());
            }
            return existing;
        }
        CreditBalance balance = balance(connection, tenant, account.currency());
        if (balance.available().compareTo(amount) < 0) {
            throw new InsufficientCreditException(tenant, Amounts.shown(amount, account.currency()),
                    balance.available(), account.currency());
        }
        insert(connection, tenant, key(EntryKind.RESERVATION, key), EntryKind.RESERVATION, key, BigDecimal.ZERO,
                amount, account.currency(), Optional.empty(), Optional.empty(), at);
        return reservation(connection, tenant, key);
    }

    /** The tenant's reservation {@code key}, with its status now; empty when it has none. */
    public static Optional<Reservation> reservation(Connection connection, TenantId tenant, String key)
            throws SQLException {
        Optional<CreditEntry> reserved = entry(connection, tenant, key(EntryKind.RESERVATION, key));
        if (reserved.isEmpty()) {
            return Optional.empty();
        }
        Reservation.Status status = entry(connection, tenant, closeKey(key))
                .map(close -> close.kind() == EntryKind.RELEASE ? Reservation.Status.RELEASED
                        : Reservation.Status.SETTLED)
                .orElse(Reservation.Status.OPEN);
        CreditEntry entry = reserved.get();
        return Optional.of(new Reservation(key, entry.held(), entry.currency(), status, entry.createdAt()));
    }

    /**
     * Settles reservation {@code key}: charges {@code actual} (already checked) and un-holds what it reserved, in one
     * {@link EntryKind#DEBIT}; empty when the tenant has no such reservation. A reservation settled before returns
     * that debit, unchanged.
     *
     * @throws ConflictException when the reservation was released
     */
    public static Optional<CreditEntry> settle(Connection connection, TenantId tenant, String key, BigDecimal actual,
            Instant at) throws SQLException {
        Optional<CreditEntry> reserved = entry(connection, tenant, key(EntryKind.RESERVATION, key));
        if (reserved.isEmpty()) {
            return Optional.empty();
        }
        CreditEntry close = close(connection, tenant, reserved.get(), EntryKind.DEBIT, actual.negate(), at).entry();
        if (close.kind() == EntryKind.RELEASE) {
            throw new ConflictException("reservation '" + key + "' of tenant " + tenant + " was released; it cannot"
                    + " be settled");
        }
        return Optional.of(close);
    }

    /**
     * Releases reservation {@code key}; empty when the tenant has no such reservation, else whether this call
     * released it (false when it was settled or released before).
     */
    public static Optional<Boolean> release(Connection connection, TenantId tenant, String key, Instant at)
            throws SQLException {
        Optional<CreditEntry> reserved = entry(connection, tenant, key(EntryKind.RESERVATION, key));
        if (reserved.isEmpty()) {
            return Optional.empty();
        }
        Closed closed = close(connection, tenant, reserved.get(), EntryKind.RELEASE, BigDecimal.ZERO, at);
        return Optional.of(closed.inserted());
    }

    /** Records a top-up asked of a payment provider as the tenant's; nothing when it is recorded already. */
    public static void recordPayment(Connection connection, Payment payment, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_credit_payments (provider,"
                + " payment_id, tenant_id, amount, currency, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, payment.provider());
            insert.setString(2, payment.paymentId());
            insert.setString(3, payment.tenant().value());
            insert.setBigDecimal(4, payment.amount());
            insert.setString(5, payment.currency().getCurrencyCode());
            insert.setLong(6, at.toEpochMilli());
            insert.executeUpdate();
        }
    }

    /** The top-up {@code paymentId} asked of {@code provider}, if one was recorded. */
    public static Optional<Payment> payment(Connection connection, String provider, String paymentId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT tenant_id, amount, currency"
                + " FROM irisx_credit_payments WHERE provider = ? AND payment_id = ?")) {
            select.setString(1, provider);
            select.setString(2, paymentId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Currency currency = Currency.getInstance(rs.getString(3));
                return Optional.of(new Payment(provider, paymentId, TenantId.of(rs.getString(1)),
                        Amounts.shown(rs.getBigDecimal(2), currency), currency));
            }
        }
    }

    /** What the tenant's entries of {@code kind} for payment {@code paymentId} took from its balance, in total. */
    public static BigDecimal taken(Connection connection, TenantId tenant, EntryKind kind, String paymentId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE(SUM(amount), 0)"
                + " FROM irisx_credit_entries WHERE tenant_id = ? AND payment_id = ? AND kind = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, paymentId);
            select.setString(3, kind.name());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1).negate();
            }
        }
    }

    /** The entry that closed a reservation, and whether this call wrote it. */
    private record Closed(CreditEntry entry, boolean inserted) {
    }

    /** Closes {@code reserved} with an entry of {@code kind}, unless an earlier entry closed it. */
    private static Closed close(Connection connection, TenantId tenant, CreditEntry reserved, EntryKind kind,
            BigDecimal amount, Instant at) throws SQLException {
        String key = closeKey(reserved.reference());
        boolean inserted = insert(connection, tenant, key, kind, reserved.reference(), amount,
                reserved.held().negate(), reserved.currency(), Optional.empty(), Optional.empty(), at);
        return new Closed(entryOrThrow(connection, tenant, key), inserted);
    }

    private static boolean insert(Connection connection, TenantId tenant, String key, EntryKind kind,
            String reference, BigDecimal amount, BigDecimal held, Currency currency, Optional<String> note,
            Optional<String> paymentId, Instant at) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_credit_entries (tenant_id,"
                + " entry_key, " + ENTRY_COLUMNS + ", payment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, tenant.value());
            insert.setString(2, key);
            insert.setString(3, IdCodec.next(ENTRY_PREFIX));
            insert.setString(4, kind.name());
            insert.setString(5, reference);
            insert.setBigDecimal(6, amount);
            insert.setBigDecimal(7, held);
            insert.setString(8, currency.getCurrencyCode());
            if (note.isPresent()) {
                insert.setString(9, note.get());
            } else {
                insert.setNull(9, Types.VARCHAR);
            }
            insert.setLong(10, at.toEpochMilli());
            if (paymentId.isPresent()) {
                insert.setString(11, paymentId.get());
            } else {
                insert.setNull(11, Types.VARCHAR);
            }
            if (insert.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement totals = connection.prepareStatement("UPDATE irisx_credit_accounts SET balance_total"
                + " = balance_total + ?, held_total = held_total + ? WHERE tenant_id = ?")) {
            totals.setBigDecimal(1, amount);
            totals.setBigDecimal(2, held);
            totals.setString(3, tenant.value());
            if (totals.executeUpdate() != 1) {
                throw new IllegalStateException("tenant " + tenant + " has a ledger entry but no credit account");
            }
        }
        return true;
    }

    private static Optional<CreditEntry> entry(Connection connection, TenantId tenant, String key)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ENTRY_COLUMNS
                + " FROM irisx_credit_entries WHERE tenant_id = ? AND entry_key = ?")) {
            select.setString(1, tenant.value());
            select.setString(2, key);
            List<CreditEntry> entries = entries(select);
            return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0));
        }
    }

    private static CreditEntry entryOrThrow(Connection connection, TenantId tenant, String key)
            throws SQLException {
        return entry(connection, tenant, key).orElseThrow(() -> new IllegalStateException("entry " + key
                + " of tenant " + tenant + " vanished"));
    }

    private static List<CreditEntry> entries(PreparedStatement select) throws SQLException {
        List<CreditEntry> entries = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Currency currency = Currency.getInstance(rs.getString("currency"));
                entries.add(new CreditEntry(rs.getString("id"), EntryKind.valueOf(rs.getString("kind")),
                        rs.getString("reference"), Amounts.shown(rs.getBigDecimal("amount"), currency),
                        Amounts.shown(rs.getBigDecimal("held"), currency), currency,
                        Optional.ofNullable(rs.getString("note")), Instant.ofEpochMilli(rs.getLong("created_at"))));
            }
        }
        return entries;
    }

    /** The unique key of the entry of {@code kind} and {@code reference}. */
    static String key(EntryKind kind, String reference) {
        String namespace = switch (kind) {
            case TOP_UP -> "topup";
            case RESERVATION -> "reserve";
            case DEBIT -> "debit";
            case RELEASE -> "close";
            case REFUND -> "refund";
            case DISPUTE -> "dispute";
            case ADJUSTMENT -> "adjust";
        };
        return namespace + ":" + reference;
    }

    private static String closeKey(String reservationKey) {
        return "close:" + reservationKey;
    }
}
