package io.irisx.core.tenant;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One tenant's API keys for the host's own API: create (the text shown once), list, revoke; thread-safe, from
 * {@link io.irisx.core.Tenant#apiKeys()}. The host checks a request's key with {@link ApiKeyAuthenticator}.
 */
public final class ApiKeys {

    private final ApiKeyStore store;
    private final TenantId tenant;

    ApiKeys(ApiKeyStore store, TenantId tenant) {
        this.store = store;
        this.tenant = tenant;
    }

    /**
     * Creates a key allowing {@code scopes}, until {@code expiresAt} if given; its text is in the result only.
     *
     * @throws IrisxValidationException when the name is blank or too long, no scope is given, or the expiry is past
     */
    public NewApiKey create(String name, ApiKey.Mode mode, Set<ApiScope> scopes, Optional<Instant> expiresAt) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(expiresAt, "expiresAt");
        return store.create(tenant, name, mode, scopes, expiresAt);
    }

    /** A page of the tenant's keys, revoked ones included, by id. */
    public Page<ApiKey> list(PageRequest page) {
        Objects.requireNonNull(page, "page");
        return Page.of(store.list(tenant, page.limit() + 1, page.after()), page, ApiKey::id);
    }

    /** The tenant's key {@code id}; {@link NotFoundException} when it has none. */
    public ApiKey get(String id) {
        Objects.requireNonNull(id, "id");
        return store.find(tenant, id).orElseThrow(() -> new NotFoundException("API key", id));
    }

    /**
     * Revokes the tenant's key {@code id}: it is refused from the moment this returns. Revoking again changes
     * nothing.
     *
     * @throws NotFoundException when the tenant has no such key
     */
    public ApiKey revoke(String id) {
        Objects.requireNonNull(id, "id");
        return store.revoke(tenant, id);
    }

    @Override
    public String toString() {
        return "ApiKeys[" + tenant + "]";
    }
}
