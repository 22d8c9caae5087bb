package io.irisx.core.credit;

import io.irisx.core.ConflictException;
import io.irisx.core.InsufficientCreditException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.credit.internal.Amounts;
import io.irisx.core.credit.internal.CreditStore;
import io.irisx.core.credit.spi.PaymentProvider;
import io.irisx.core.internal.IdCodec;
import io.irisx.core.store.Database;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's prepaid credit: its billing mode, its currency, and its append-only ledger of top-ups, reservations,
 * debits, releases, refunds, disputes and adjustments; thread-safe, from {@link io.irisx.core.Tenant#credit()}.
 *
 * <p>The balance is derived from the entries: {@link #balance()} reads their running totals, which each entry
 * updates in its own transaction under the account's lock, so that they always equal the entries' sums. Each entry
 * has an idempotency key — its kind and reference (a top-up by its payment id, a reservation by its key, a
 * settlement or release by the reservation's key) — so repeating an operation with the same key adds nothing and
 * returns what the first did.
 *
 * <p>Amounts are exact {@link BigDecimal}s in the ledger's one currency (US dollars unless {@linkplain #setCurrency
 * set} before the first entry). Money that moves (top-ups, debits, refunds, adjustments) has at most the currency's
 * minor-unit digits (cents); a reservation or settlement, a unit price times a quantity, up to 12 digits after the
 * point, as the price book's unit prices. Every amount is below 10<sup>12</sup>. Nothing is rounded.
 *
 * <p>A PREPAID tenant's reservation is refused with {@link InsufficientCreditException} when its available credit
 * (balance less open reservations) does not cover it; the check and the reservation run under a lock on the
 * tenant's account row, so concurrent reservations — in one process or many on one database — never overdraw it.
 * A POSTPAID tenant (the default) reserves nothing.
 */
public final class CreditLedger {

    private static final Logger log = LoggerFactory.getLogger(CreditLedger.class);

    private final Database database;
    private final Clock clock;
    private final TenantId tenant;

    /** The ledger of {@code tenant} in {@code database}, timed by {@code clock}: for {@code Tenant.credit()}. */
    public CreditLedger(Database database, Clock clock, TenantId tenant) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    /** The tenant whose ledger this is. */
    public TenantId tenant() {
        return tenant;
    }

    /** How the tenant pays: {@link BillingMode#POSTPAID} until {@linkplain #setBillingMode set}. */
    public BillingMode billingMode() {
        return account().mode();
    }

    /** Makes the tenant PREPAID (its sends reserve their price from its credit from now on) or POSTPAID. */
    public void setBillingMode(BillingMode mode) {
        Objects.requireNonNull(mode, "mode");
        database.inTransaction(connection -> {
            CreditStore.setMode(connection, tenant, mode, clock.instant());
            return null;
        });
        log.info("irisx: tenant {} is {} from now on", tenant, mode);
    }

    /** The ledger's currency: US dollars until {@linkplain #setCurrency set}. */
    public Currency currency() {
        return account().currency();
    }

    /**
     * Sets the ledger's currency, before its first entry.
     *
     * @throws ConflictException when the ledger has entries in another currency
     * @throws IrisxValidationException when the currency has no minor units (a fund or metal code)
     */
    public void setCurrency(Currency currency) {
        Amounts.currency(currency);
        database.inTransaction(connection -> {
            CreditStore.setCurrency(connection, tenant, currency, clock.instant());
            return null;
        });
    }

    /** The balance and reserved credit now: the running totals of the entries. */
    public CreditBalance balance() {
        return database.withConnection(connection -> {
            Currency currency = CreditStore.account(connection, tenant, false).map(CreditStore.Account::currency)
                    .orElse(CreditStore.DEFAULT_CURRENCY);
            return CreditStore.balance(connection, tenant, currency);
        });
    }

    /** A page of the entries, oldest first. */
    public Page<CreditEntry> entries(PageRequest page) {
        Objects.requireNonNull(page, "page");
        Optional<String> after = page.cursor(cursor -> {
            IdCodec.check(CreditStore.ENTRY_PREFIX, cursor, "after");
            return cursor;
        });
        List<CreditEntry> fetched = database.withConnection(connection -> CreditStore.list(connection, tenant, after,
                page.limit() + 1));
        return Page.of(fetched, page, CreditEntry::id);
    }

    /**
     * Credits {@code amount} paid in, under {@code reference} (a payment or receipt id); a repeat of the reference
     * returns the first top-up.
     *
     * @throws IrisxValidationException when the amount is not positive or has more digits than the currency's minor
     *     units, or the reference is blank or over 200 characters
     * @throws ConflictException when the reference topped up another amount before
     */
    public CreditEntry topUp(BigDecimal amount, String reference) {
        return post(EntryKind.TOP_UP, amount, reference, Optional.empty(), false);
    }

    /**
     * Debits {@code amount} directly, without a reservation (a charge of the host's own), under {@code reference};
     * the balance may go below zero. A repeat of the reference returns the first debit.
     *
     * @throws IrisxValidationException as {@link #topUp}
     * @throws ConflictException when the reference debited another amount before
     */
    public CreditEntry debit(BigDecimal amount, String reference) {
        return post(EntryKind.DEBIT, amount, reference, Optional.empty(), false);
    }

    /**
     * Debits {@code amount} returned to the payer, under {@code reference} (the refund's id); the balance may go
     * below zero. A repeat of the reference returns the first refund.
     *
     * @throws IrisxValidationException as {@link #topUp}
     * @throws ConflictException when the reference refunded another amount before
     */
    public CreditEntry refund(BigDecimal amount, String reference) {
        return post(EntryKind.REFUND, amount, reference, Optional.empty(), false);
    }

    /**
     * Corrects the balance by {@code amount}, positive or negative, under {@code reference}, for {@code reason}
     * (stored, up to 500 characters). A repeat of the reference returns the first adjustment.
     *
     * @throws IrisxValidationException when the amount is zero or has more digits than the currency's minor units,
     *     the reference is blank or over 200 characters, or the reason is blank or over 500
     * @throws ConflictException when the reference adjusted by another amount before
     */
    public CreditEntry adjust(BigDecimal amount, String reference, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new IrisxValidationException("reason", reason, "must be 1 to 500 characters, not blank");
        }
        return post(EntryKind.ADJUSTMENT, amount, reference, Optional.of(reason), true);
    }

    /**
     * Reserves {@code amount} for one unit of work under {@code key} (e.g. {@code msg_01J…:EMAIL}) when the tenant is
     * PREPAID; empty, storing nothing, when it is POSTPAID. A repeat of the key returns the first reservation. A
     * channel reserves in its own send transaction, with {@link SendCredit#reserve}.
     *
     * @throws InsufficientCreditException when the available credit is less than {@code amount}
     * @throws IrisxValidationException when the amount is not positive or has more than 12 digits after the point,
     *     or the key is blank or over 200 characters
     * @throws ConflictException when the key reserved another amount before
     */
    public Optional<Reservation> reserve(BigDecimal amount, String key) {
        Amounts.price("amount", amount, false);
        Amounts.reference("key", key);
        return database.inTransaction(connection -> CreditStore.reserve(connection, tenant, amount, key,
                clock.instant()));
    }

    /**
     * Settles reservation {@code key}: debits {@code actual} (what the work cost, which may differ from what was
     * reserved; above it, the balance may go below zero) and frees what was reserved, in one {@link EntryKind#DEBIT}.
     * A repeat returns the first settlement, whatever {@code actual} it is given.
     *
     * @throws NotFoundException when the tenant has no reservation {@code key}
     * @throws ConflictException when the reservation was released
     * @throws IrisxValidationException when {@code actual} is negative or has more than 12 digits after the point
     */
    public CreditEntry settle(String key, BigDecimal actual) {
        Amounts.reference("key", key);
        Amounts.price("actual", actual, true);
        return database.inTransaction(connection -> CreditStore.settle(connection, tenant, key, actual,
                clock.instant())).orElseThrow(() -> new NotFoundException("reservation", key));
    }

    /**
     * Releases reservation {@code key} unspent (the work failed): frees what it reserved, debiting nothing.
     *
     * @return whether this call released it: false when it was settled or released before, which is left as it was
     * @throws NotFoundException when the tenant has no reservation {@code key}
     */
    public boolean release(String key) {
        Amounts.reference("key", key);
        return database.inTransaction(connection -> CreditStore.release(connection, tenant, key, clock.instant()))
                .orElseThrow(() -> new NotFoundException("reservation", key));
    }

    /** Reservation {@code key}, with where it stands now, if the tenant has it. */
    public Optional<Reservation> reservation(String key) {
        Amounts.reference("key", key);
        return database.withConnection(connection -> CreditStore.reservation(connection, tenant, key));
    }

    /**
     * Asks {@code provider} for a payment of {@code amount} in the ledger's currency that tops this tenant's credit up,
     * and records it as the tenant's, so that the provider's webhook credits this ledger — once — when it is paid.
     * The same {@code requestKey} (e.g. the host's order id) asks the provider for the same payment again, so a
     * retry after a timeout does not make a second one.
     *
     * @return the payment, with the client secret the payer's browser completes it with
     * @throws IrisxValidationException when the amount is not positive or has more digits than the currency's minor
     *     units, or the request key is blank or over 200 characters
     * @throws ProviderException when the provider refuses or cannot be reached
     */
    public TopUpIntent requestTopUp(PaymentProvider provider, BigDecimal amount, String requestKey) {
        Objects.requireNonNull(provider, "provider");
        Amounts.reference("requestKey", requestKey);
        Currency currency = currency();
        Amounts.money("amount", amount, currency, false);
        TopUpIntent intent = Objects.requireNonNull(provider.createTopUp(tenant, amount, currency,
                "irisx-topup:" + tenant + ":" + requestKey), "the payment provider returned null");
        if (!intent.provider().equals(provider.name()) || intent.amount().compareTo(amount) != 0
                || !intent.currency().equals(currency)) {
            throw new IllegalStateException("payment provider " + provider.name() + " answered a top-up of "
                    + amount.toPlainString() + " " + currency + " with " + intent.provider() + " payment "
                    + intent.paymentId() + " of " + intent.amount().toPlainString() + " " + intent.currency());
        }
        database.inTransaction(connection -> {
            CreditStore.recordPayment(connection, new CreditStore.Payment(intent.provider(), intent.paymentId(),
                    tenant, amount, currency), clock.instant());
            return null;
        });
        log.info("irisx: tenant {} asked {} for a top-up of {} {}: payment {}", tenant, intent.provider(),
                amount.toPlainString(), currency, intent.paymentId());
        return intent;
    }

    private CreditStore.Account account() {
        return database.withConnection(connection -> CreditStore.account(connection, tenant, false))
                .orElse(new CreditStore.Account(BillingMode.POSTPAID, CreditStore.DEFAULT_CURRENCY));
    }

    private CreditEntry post(EntryKind kind, BigDecimal amount, String reference, Optional<String> note,
            boolean signed) {
        Amounts.reference("reference", reference);
        CreditEntry entry = database.inTransaction(connection -> {
            CreditStore.Account account = CreditStore.lockAccount(connection, tenant, clock.instant());
            Amounts.money("amount", amount, account.currency(), signed);
            BigDecimal moved = kind == EntryKind.TOP_UP || kind == EntryKind.ADJUSTMENT ? amount : amount.negate();
            return CreditStore.post(connection, tenant, kind, moved, reference, note, Optional.empty(),
                    clock.instant());
        });
        log.debug("irisx: tenant {} credit {} {} {}", tenant, kind, reference, entry.amount().toPlainString());
        return entry;
    }

    @Override
    public String toString() {
        return "CreditLedger[" + tenant + "]";
    }
}
