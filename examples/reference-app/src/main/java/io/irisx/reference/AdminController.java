package io.irisx.reference;

import static io.irisx.reference.Paging.required;

import io.irisx.core.Irisx;
import io.irisx.core.Page;
import io.irisx.core.TenantId;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.CreditBalance;
import io.irisx.core.credit.CreditEntry;
import io.irisx.core.credit.CreditLedger;
import io.irisx.core.tenant.ApiKey;
import io.irisx.core.tenant.ApiScope;
import io.irisx.core.tenant.NewApiKey;
import io.irisx.core.tenant.TenantInfo;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's routes, behind the admin token ({@link AdminInterceptor}): tenants (create, list, get, update,
 * suspend, resume, delete with their data), their API keys (create, the key's text shown once; list, get, revoke),
 * their billing mode and currency, credit (top-ups and adjustments), and short-lived customer portal tokens.
 */
@RestController
@RequestMapping("/admin/tenants")
class AdminController {

    record CreateTenant(String id, String name, Map<String, String> metadata) {
    }

    record UpdateTenant(String name, Map<String, String> metadata) {
    }

    record Suspend(String reason) {
    }

    /** A key to create: {@code mode} {@code live} (default) or {@code test}, scopes by their wire names. */
    record CreateKey(String name, String mode, List<String> scopes, Instant expiresAt) {
    }

    /** A new key: {@code secret} is the key's text, shown this once (IRISX keeps only its hash). */
    record CreatedKey(ApiKey key, String secret) {
    }

    record Billing(String mode, String currency) {
    }

    record BillingState(BillingMode mode, Currency currency, CreditBalance balance) {
    }

    record Credit(BigDecimal amount, String reference, String reason) {
    }

    /** A portal token to issue: valid {@code ttlSeconds} (default 900, at most 3600). */
    record PortalToken(Long ttlSeconds) {
    }

    private final Irisx irisx;
    private final PortalTokens portalTokens;

    AdminController(Irisx irisx, PortalTokens portalTokens) {
        this.irisx = irisx;
        this.portalTokens = portalTokens;
    }

    @PostMapping("/{tenant}/portal-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    PortalTokens.Issued portalToken(@PathVariable String tenant, @RequestBody(required = false) PortalToken body) {
        Duration ttl = body == null || body.ttlSeconds() == null ? PortalTokens.DEFAULT_TTL
                : Duration.ofSeconds(body.ttlSeconds());
        return portalTokens.issue(registered(tenant), ttl);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TenantInfo create(@RequestBody CreateTenant body) {
        return irisx.tenants().create(TenantId.of(required(body.id(), "id")), required(body.name(), "name"),
                body.metadata() == null ? Map.of() : body.metadata());
    }

    @GetMapping
    Page<TenantInfo> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return irisx.tenants().list(Paging.page(cursor, limit));
    }

    @GetMapping("/{tenant}")
    TenantInfo get(@PathVariable String tenant) {
        return irisx.tenants().get(TenantId.of(tenant));
    }

    @PatchMapping("/{tenant}")
    TenantInfo update(@PathVariable String tenant, @RequestBody UpdateTenant body) {
        TenantInfo current = irisx.tenants().get(TenantId.of(tenant));
        return irisx.tenants().update(current.id(), body.name() == null ? current.name() : body.name(),
                body.metadata() == null ? current.metadata() : body.metadata());
    }

    @PostMapping("/{tenant}/suspend")
    TenantInfo suspend(@PathVariable String tenant, @RequestBody Suspend body) {
        return irisx.tenants().suspend(TenantId.of(tenant), required(body.reason(), "reason"));
    }

    @PostMapping("/{tenant}/resume")
    TenantInfo resume(@PathVariable String tenant) {
        return irisx.tenants().resume(TenantId.of(tenant));
    }

    @DeleteMapping("/{tenant}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String tenant) {
        irisx.tenants().delete(TenantId.of(tenant));
    }

    @PostMapping("/{tenant}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    CreatedKey createKey(@PathVariable String tenant, @RequestBody CreateKey body) {
        ApiKey.Mode mode = body.mode() == null ? ApiKey.Mode.LIVE : Paging.enumValue(ApiKey.Mode.class, "mode",
                body.mode());
        Set<ApiScope> scopes = new LinkedHashSet<>();
        for (String scope : required(body.scopes(), "scopes")) {
            scopes.add(ApiScope.fromWireName(scope).orElseThrow(() -> new IllegalArgumentException(
                    "scopes holds an unknown scope: " + scope)));
        }
        NewApiKey created = irisx.tenant(registered(tenant)).apiKeys().create(required(body.name(), "name"), mode,
                scopes, Optional.ofNullable(body.expiresAt()));
        return new CreatedKey(created.key(), created.text().reveal());
    }

    @GetMapping("/{tenant}/api-keys")
    Page<ApiKey> keys(@PathVariable String tenant, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return irisx.tenant(registered(tenant)).apiKeys().list(Paging.page(cursor, limit));
    }

    @GetMapping("/{tenant}/api-keys/{key}")
    ApiKey key(@PathVariable String tenant, @PathVariable String key) {
        return irisx.tenant(registered(tenant)).apiKeys().get(key);
    }

    @DeleteMapping("/{tenant}/api-keys/{key}")
    ApiKey revoke(@PathVariable String tenant, @PathVariable String key) {
        return irisx.tenant(registered(tenant)).apiKeys().revoke(key);
    }

    @GetMapping("/{tenant}/billing")
    BillingState billing(@PathVariable String tenant) {
        CreditLedger ledger = ledger(tenant);
        return new BillingState(ledger.billingMode(), ledger.currency(), ledger.balance());
    }

    @PutMapping("/{tenant}/billing")
    BillingState setBilling(@PathVariable String tenant, @RequestBody Billing body) {
        CreditLedger ledger = ledger(tenant);
        if (body.currency() != null) {
            ledger.setCurrency(currency(body.currency()));
        }
        if (body.mode() != null) {
            ledger.setBillingMode(Paging.enumValue(BillingMode.class, "mode", body.mode()));
        }
        return new BillingState(ledger.billingMode(), ledger.currency(), ledger.balance());
    }

    @PostMapping("/{tenant}/credit/top-ups")
    @ResponseStatus(HttpStatus.CREATED)
    CreditEntry topUp(@PathVariable String tenant, @RequestBody Credit body) {
        return ledger(tenant).topUp(required(body.amount(), "amount"), required(body.reference(), "reference"));
    }

    @PostMapping("/{tenant}/credit/adjustments")
    @ResponseStatus(HttpStatus.CREATED)
    CreditEntry adjust(@PathVariable String tenant, @RequestBody Credit body) {
        return ledger(tenant).adjust(required(body.amount(), "amount"), required(body.reference(), "reference"),
                required(body.reason(), "reason"));
    }

    private CreditLedger ledger(String tenant) {
        return irisx.tenant(registered(tenant)).credit();
    }

    /** A tenant the admin manages must be registered: an unknown one is a 404, not a fresh tenant. */
    private TenantId registered(String tenant) {
        return irisx.tenants().get(TenantId.of(tenant)).id();
    }

    private static Currency currency(String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency must be an ISO 4217 code such as USD, was " + code);
        }
    }
}
