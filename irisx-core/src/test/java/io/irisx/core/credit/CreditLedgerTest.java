package io.irisx.core.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.ConflictException;
import io.irisx.core.InsufficientCreditException;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.MutableClock;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** A tenant's prepaid credit ledger and the send path's reservations, on each database. */
@OnEachDialect
class CreditLedgerTest {

    @Parameter
    Database.Dialect dialect;
    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private Database database;
    private Irisx irisx;
    private Tenant acme;
    private Tenant globex;

    @BeforeEach
    void start() {
        database = TestDatabases.of(dialect);
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).clock(clock)
                .build();
        acme = irisx.tenant("acme");
        globex = irisx.tenant("globex");
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
    }

    @Test
    void the_balance_is_the_sum_of_the_entries_and_each_entry_is_listed_oldest_first() {
        CreditLedger credit = acme.credit();
        assertThat(credit.balance()).isEqualTo(new CreditBalance(usd(), new BigDecimal("0.00"),
                new BigDecimal("0.00")));

        credit.topUp(new BigDecimal("25"), "receipt-1");
        clock.advance(Duration.ofSeconds(1));
        credit.topUp(new BigDecimal("10.50"), "receipt-2");
        credit.debit(new BigDecimal("1.25"), "invoice-7");
        credit.refund(new BigDecimal("5.00"), "refund-1");
        CreditEntry adjusted = credit.adjust(new BigDecimal("-0.25"), "fix-1", "rounding of invoice 7");

        CreditBalance balance = credit.balance();
        assertThat(balance.balance()).isEqualTo(new BigDecimal("29.00"));
        assertThat(balance.reserved()).isEqualTo(new BigDecimal("0.00"));
        assertThat(balance.available()).isEqualTo(new BigDecimal("29.00"));
        assertThat(adjusted.kind()).isEqualTo(EntryKind.ADJUSTMENT);
        assertThat(adjusted.amount()).isEqualTo(new BigDecimal("-0.25"));
        assertThat(adjusted.note()).contains("rounding of invoice 7");

        Page<CreditEntry> first = credit.entries(PageRequest.first(2));
        assertThat(first.items()).extracting(CreditEntry::reference).containsExactly("receipt-1", "receipt-2");
        assertThat(first.items().get(0).amount()).isEqualTo(new BigDecimal("25.00"));
        assertThat(first.items().get(1).createdAt()).isEqualTo(Instant.parse("2030-01-01T00:00:01Z"));
        Page<CreditEntry> rest = credit.entries(PageRequest.after(first.nextCursor().orElseThrow(), 10));
        assertThat(rest.items()).extracting(CreditEntry::kind).containsExactly(EntryKind.DEBIT, EntryKind.REFUND,
                EntryKind.ADJUSTMENT);
        assertThat(rest.items()).extracting(CreditEntry::amount).containsExactly(new BigDecimal("-1.25"),
                new BigDecimal("-5.00"), new BigDecimal("-0.25"));
        assertThat(rest.hasMore()).isFalse();
        assertThatThrownBy(() -> credit.entries(PageRequest.after("not-a-cursor", 10)))
                .isInstanceOf(IrisxValidationException.class).hasMessageContaining("after");
    }

    @Test
    void repeating_an_operation_with_the_same_key_changes_nothing_and_another_amount_is_a_conflict() {
        CreditLedger credit = acme.credit();
        CreditEntry first = credit.topUp(new BigDecimal("10.00"), "pi_1");
        CreditEntry again = credit.topUp(new BigDecimal("10"), "pi_1");
        credit.refund(new BigDecimal("2.00"), "pi_1");
        credit.refund(new BigDecimal("2.00"), "pi_1");

        assertThat(again).isEqualTo(first);
        assertThat(credit.balance().balance()).isEqualTo(new BigDecimal("8.00"));
        assertThat(credit.entries(PageRequest.first()).items()).hasSize(2);
        assertThatThrownBy(() -> credit.topUp(new BigDecimal("11.00"), "pi_1")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("pi_1").hasMessageContaining("10.00");
        assertThat(credit.balance().balance()).isEqualTo(new BigDecimal("8.00"));
    }

    @Test
    void amounts_references_and_currencies_are_checked_before_anything_is_stored() {
        CreditLedger credit = acme.credit();

        assertInvalid(() -> credit.topUp(new BigDecimal("0"), "r"), "amount", "must be positive");
        assertInvalid(() -> credit.topUp(new BigDecimal("-1.00"), "r"), "amount", "must be positive");
        assertInvalid(() -> credit.topUp(new BigDecimal("1.001"), "r"), "amount", "minor units (USD)");
        assertInvalid(() -> credit.topUp(new BigDecimal("1000000000000"), "r"), "amount", "below 10^12");
        assertInvalid(() -> credit.topUp(null, "r"), "amount", "is required");
        assertInvalid(() -> credit.topUp(BigDecimal.ONE, " "), "reference", "not blank");
        assertInvalid(() -> credit.topUp(BigDecimal.ONE, "x".repeat(201)), "reference", "1 to 200");
        assertInvalid(() -> credit.topUp(BigDecimal.ONE, "a\nb"), "reference", "control characters");
        assertInvalid(() -> credit.adjust(BigDecimal.ZERO, "r", "why"), "amount", "must not be zero");
        assertInvalid(() -> credit.adjust(BigDecimal.ONE, "r", " "), "reason", "not blank");
        assertInvalid(() -> credit.reserve(new BigDecimal("0.0000000000001"), "k"), "amount", "at most 12");
        assertInvalid(() -> credit.reserve(BigDecimal.ZERO, "k"), "amount", "must be positive");
        assertInvalid(() -> credit.settle("k", new BigDecimal("-0.01")), "actual", "must not be negative");
        assertInvalid(() -> credit.setCurrency(Currency.getInstance("XAU")), "currency", "no minor units");

        assertThat(credit.entries(PageRequest.first()).items()).isEmpty();
        // Trailing zeros past the minor units are not extra digits.
        assertThat(credit.topUp(new BigDecimal("1.000000"), "r").amount()).isEqualTo(new BigDecimal("1.00"));
    }

    @Test
    void a_postpaid_tenant_reserves_nothing_and_a_prepaid_one_holds_its_price_until_settled_or_released() {
        CreditLedger credit = acme.credit();
        assertThat(credit.billingMode()).isEqualTo(BillingMode.POSTPAID);
        assertThat(credit.reserve(new BigDecimal("5"), "msg_a:EMAIL")).isEmpty();
        assertThat(credit.reservation("msg_a:EMAIL")).isEmpty();
        assertThat(credit.entries(PageRequest.first()).items()).isEmpty();

        credit.setBillingMode(BillingMode.PREPAID);
        credit.topUp(new BigDecimal("1.00"), "receipt-1");
        Reservation held = credit.reserve(new BigDecimal("0.00009"), "msg_b:EMAIL").orElseThrow();
        credit.reserve(new BigDecimal("0.0079"), "msg_c:SMS_SEGMENT").orElseThrow();

        assertThat(held.status()).isEqualTo(Reservation.Status.OPEN);
        assertThat(held.amount()).isEqualTo(new BigDecimal("0.00009"));
        assertThat(credit.balance().reserved()).isEqualTo(new BigDecimal("0.00799"));
        assertThat(credit.balance().available()).isEqualTo(new BigDecimal("0.99201"));
        assertThat(credit.reserve(new BigDecimal("0.00009"), "msg_b:EMAIL")).contains(held);
        assertThatThrownBy(() -> credit.reserve(new BigDecimal("0.0001"), "msg_b:EMAIL"))
                .isInstanceOf(ConflictException.class);

        CreditEntry settled = credit.settle("msg_b:EMAIL", new BigDecimal("0.00009"));
        assertThat(settled.kind()).isEqualTo(EntryKind.DEBIT);
        assertThat(settled.amount()).isEqualTo(new BigDecimal("-0.00009"));
        assertThat(settled.held()).isEqualTo(new BigDecimal("-0.00009"));
        assertThat(credit.settle("msg_b:EMAIL", new BigDecimal("0.5"))).isEqualTo(settled);
        assertThat(credit.release("msg_b:EMAIL")).isFalse();
        assertThat(credit.reservation("msg_b:EMAIL").orElseThrow().status()).isEqualTo(Reservation.Status.SETTLED);

        assertThat(credit.release("msg_c:SMS_SEGMENT")).isTrue();
        assertThat(credit.release("msg_c:SMS_SEGMENT")).isFalse();
        assertThatThrownBy(() -> credit.settle("msg_c:SMS_SEGMENT", BigDecimal.ONE))
                .isInstanceOf(ConflictException.class).hasMessageContaining("released");
        assertThat(credit.reservation("msg_c:SMS_SEGMENT").orElseThrow().status())
                .isEqualTo(Reservation.Status.RELEASED);

        assertThat(credit.balance()).isEqualTo(new CreditBalance(usd(), new BigDecimal("0.99991"),
                new BigDecimal("0.00")));
        assertThatThrownBy(() -> credit.settle("msg_unknown:EMAIL", BigDecimal.ONE))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> credit.release("msg_unknown:EMAIL")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void a_prepaid_tenant_without_enough_credit_is_refused_naming_what_it_needs_and_has() {
        CreditLedger credit = acme.credit();
        credit.setBillingMode(BillingMode.PREPAID);
        credit.topUp(new BigDecimal("0.02"), "receipt-1");
        credit.reserve(new BigDecimal("0.015"), "msg_a:MMS");

        assertThatThrownBy(() -> credit.reserve(new BigDecimal("0.0079"), "msg_b:SMS_SEGMENT"))
                .isInstanceOfSatisfying(InsufficientCreditException.class, e -> {
                    assertThat(e.tenant()).isEqualTo(TenantId.of("acme"));
                    assertThat(e.needed()).isEqualTo(new BigDecimal("0.0079"));
                    assertThat(e.available()).isEqualTo(new BigDecimal("0.005"));
                    assertThat(e.currency()).isEqualTo(usd());
                    assertThat(e.getMessage()).contains("acme", "0.005 USD", "0.0079 USD", "top its credit up");
                });
        assertThat(credit.reservation("msg_b:SMS_SEGMENT")).isEmpty();

        // Exactly the available credit passes; a settlement above the reservation may overdraw.
        credit.reserve(new BigDecimal("0.005"), "msg_c:SMS_SEGMENT").orElseThrow();
        credit.settle("msg_c:SMS_SEGMENT", new BigDecimal("0.0079"));
        assertThat(credit.balance().available()).isEqualTo(new BigDecimal("-0.0029"));
    }

    @Test
    void the_send_path_reserves_in_the_callers_transaction_so_a_rollback_takes_the_reservation_back() {
        acme.credit().setBillingMode(BillingMode.PREPAID);
        acme.credit().topUp(new BigDecimal("1.00"), "receipt-1");
        TenantId id = acme.id();

        assertThatThrownBy(() -> database.inTransaction(connection -> {
            assertThat(SendCredit.reserve(connection, id, new BigDecimal("0.40"), "msg_a:EMAIL", clock.instant()))
                    .isPresent();
            throw new IllegalStateException("the message insert failed");
        })).hasMessageContaining("the message insert failed");
        assertThat(acme.credit().reservation("msg_a:EMAIL")).isEmpty();
        assertThat(acme.credit().balance().reserved()).isEqualTo(new BigDecimal("0.00"));

        Optional<Reservation> reserved = database.inTransaction(connection -> SendCredit.reserve(connection, id,
                new BigDecimal("0.40"), "msg_a:EMAIL", clock.instant()));
        assertThat(reserved).isPresent();
        Optional<CreditEntry> settled = database.inTransaction(connection -> SendCredit.settle(connection, id,
                "msg_a:EMAIL", new BigDecimal("0.40"), clock.instant()));
        assertThat(settled).isPresent();
        Optional<Boolean> released = database.inTransaction(connection -> SendCredit.release(connection, id,
                "msg_a:EMAIL", clock.instant()));
        assertThat(released).contains(false);
        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("0.60"));

        // A POSTPAID tenant's calls write nothing and find nothing to settle or release.
        TenantId postpaid = globex.id();
        Optional<Reservation> notReserved = database.inTransaction(connection -> SendCredit.reserve(connection,
                postpaid, BigDecimal.TEN, "msg_b:EMAIL", clock.instant()));
        Optional<CreditEntry> notSettled = database.inTransaction(connection -> SendCredit.settle(connection,
                postpaid, "msg_b:EMAIL", BigDecimal.TEN, clock.instant()));
        Optional<Boolean> notReleased = database.inTransaction(connection -> SendCredit.release(connection,
                postpaid, "msg_b:EMAIL", clock.instant()));
        assertThat(notReserved).isEmpty();
        assertThat(notSettled).isEmpty();
        assertThat(notReleased).isEmpty();
        assertThat(rows("irisx_credit_entries", postpaid)).isZero();
        assertThat(rows("irisx_credit_accounts", postpaid)).isZero();
    }

    @Test
    void the_currency_is_set_before_the_first_entry_and_checks_each_amount_against_its_minor_units() {
        CreditLedger credit = acme.credit();
        assertThat(credit.currency()).isEqualTo(usd());
        credit.setCurrency(Currency.getInstance("JPY"));
        assertInvalid(() -> credit.topUp(new BigDecimal("100.5"), "r"), "amount", "minor units (JPY)");
        credit.topUp(new BigDecimal("1000"), "receipt-1");

        assertThat(credit.balance()).isEqualTo(new CreditBalance(Currency.getInstance("JPY"), new BigDecimal("1000"),
                BigDecimal.ZERO));
        credit.setCurrency(Currency.getInstance("JPY"));
        assertThatThrownBy(() -> credit.setCurrency(Currency.getInstance("EUR"))).isInstanceOf(ConflictException.class)
                .hasMessageContaining("JPY");
        assertThat(credit.currency()).isEqualTo(Currency.getInstance("JPY"));
    }

    @Test
    void one_tenant_cannot_see_settle_or_release_another_tenants_credit() {
        acme.credit().setBillingMode(BillingMode.PREPAID);
        acme.credit().topUp(new BigDecimal("3.00"), "receipt-1");
        acme.credit().reserve(new BigDecimal("1.00"), "msg_a:EMAIL");

        CreditLedger other = globex.credit();
        assertThat(other.balance().balance()).isEqualTo(new BigDecimal("0.00"));
        assertThat(other.entries(PageRequest.first()).items()).isEmpty();
        assertThat(other.reservation("msg_a:EMAIL")).isEmpty();
        assertThatThrownBy(() -> other.settle("msg_a:EMAIL", BigDecimal.ONE)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> other.release("msg_a:EMAIL")).isInstanceOf(NotFoundException.class);
        assertThat(other.billingMode()).isEqualTo(BillingMode.POSTPAID);
        // The same reference is another tenant's own.
        other.topUp(new BigDecimal("1.00"), "receipt-1");

        assertThat(acme.credit().balance()).isEqualTo(new CreditBalance(usd(), new BigDecimal("3.00"),
                new BigDecimal("1.00")));
        assertThat(acme.credit().reservation("msg_a:EMAIL").orElseThrow().status())
                .isEqualTo(Reservation.Status.OPEN);
    }

    @Test
    void deleting_a_tenant_deletes_its_ledger_and_leaves_the_others() {
        irisx.tenants().create(acme.id(), "Acme", Map.of());
        acme.credit().setBillingMode(BillingMode.PREPAID);
        acme.credit().topUp(new BigDecimal("3.00"), "receipt-1");
        globex.credit().topUp(new BigDecimal("1.00"), "receipt-1");

        irisx.tenants().delete(acme.id());

        assertThat(rows("irisx_credit_entries", acme.id())).isZero();
        assertThat(rows("irisx_credit_accounts", acme.id())).isZero();
        assertThat(acme.credit().billingMode()).isEqualTo(BillingMode.POSTPAID);
        assertThat(globex.credit().balance().balance()).isEqualTo(new BigDecimal("1.00"));
    }

    private static Currency usd() {
        return Currency.getInstance("USD");
    }

    private static void assertInvalid(Runnable call, String field, String problem) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(IrisxValidationException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(problem);
        });
    }

    private long rows(String table, TenantId tenant) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM " + table
                    + " WHERE tenant_id = ?")) {
                select.setString(1, tenant.value());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
