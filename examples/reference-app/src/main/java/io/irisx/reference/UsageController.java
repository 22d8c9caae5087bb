package io.irisx.reference;

import io.irisx.core.Page;
import io.irisx.core.Tenant;
import io.irisx.core.credit.CreditBalance;
import io.irisx.core.credit.CreditEntry;
import io.irisx.core.credit.TopUpIntent;
import io.irisx.core.tenant.ApiScope;
import io.irisx.core.usage.CostReport;
import io.irisx.core.usage.DailyUsage;
import io.irisx.core.usage.MonthlyUsage;
import io.irisx.core.usage.UsageRecord;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's metered usage (daily, monthly, records for a biller), its cost, its credit balance and ledger, and
 * card top-ups through Stripe (the {@code Idempotency-Key} header is the top-up's request key, required).
 */
@RestController
class UsageController {

    private final Payments payments;

    UsageController(Payments payments) {
        this.payments = payments;
    }

    @GetMapping("/v1/usage/daily")
    @RequiresScope(ApiScope.USAGE_READ)
    List<DailyUsage> daily(Tenant tenant, @RequestParam String from, @RequestParam String to) {
        return tenant.usage().daily(Paging.day("from", from), Paging.day("to", to));
    }

    @GetMapping("/v1/usage/monthly")
    @RequiresScope(ApiScope.USAGE_READ)
    List<MonthlyUsage> monthly(Tenant tenant, @RequestParam String from, @RequestParam String to) {
        return tenant.usage().monthly(month("from", from), month("to", to));
    }

    @GetMapping("/v1/usage/records")
    @RequiresScope(ApiScope.USAGE_READ)
    Page<UsageRecord> records(Tenant tenant, @RequestParam String from, @RequestParam String to,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return tenant.usage().records(Paging.day("from", from), Paging.day("to", to), Paging.page(cursor, limit));
    }

    @GetMapping("/v1/usage/cost")
    @RequiresScope(ApiScope.USAGE_READ)
    CostReport cost(Tenant tenant, @RequestParam String from, @RequestParam String to) {
        return tenant.usage().cost(Paging.day("from", from), Paging.day("to", to));
    }

    @GetMapping("/v1/billing/balance")
    @RequiresScope(ApiScope.BILLING_MANAGE)
    CreditBalance balance(Tenant tenant) {
        return tenant.credit().balance();
    }

    @GetMapping("/v1/billing/ledger")
    @RequiresScope(ApiScope.BILLING_MANAGE)
    Page<CreditEntry> ledger(Tenant tenant, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return tenant.credit().entries(Paging.page(cursor, limit));
    }

    /** A card top-up to ask of Stripe: {@code amount} in the ledger's currency. */
    record TopUp(BigDecimal amount) {
    }

    /** A top-up asked of the payment provider: the payer's browser completes it with {@code clientSecret}. */
    record TopUpStarted(String provider, String paymentId, String clientSecret, BigDecimal amount, String currency) {
    }

    @PostMapping("/v1/billing/top-ups")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(ApiScope.BILLING_MANAGE)
    TopUpStarted topUp(Tenant tenant, @RequestBody TopUp body, @RequestHeader("Idempotency-Key") String requestKey) {
        TopUpIntent intent = tenant.credit().requestTopUp(payments.stripe(), Paging.required(body.amount(), "amount"),
                requestKey);
        return new TopUpStarted(intent.provider(), intent.paymentId(), intent.clientSecret().reveal(), intent.amount(),
                intent.currency().getCurrencyCode());
    }

    private static YearMonth month(String name, String value) {
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a month such as 2030-01, was " + value);
        }
    }
}
