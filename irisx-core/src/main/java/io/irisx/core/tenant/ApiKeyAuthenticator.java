package io.irisx.core.tenant;

import io.irisx.core.AuthenticationException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Checks the API keys presented to the host's API; thread-safe, from {@link io.irisx.core.Irisx#apiKeys()}.
 * {@link #authenticate} reads one row by the key's lookup prefix and compares SHA-256 hashes in constant time; every
 * refusal is the same {@link AuthenticationException}, whatever the reason. A key's last-used time is written at most
 * once a minute per process, not once per request.
 */
public final class ApiKeyAuthenticator {

    private final ApiKeyStore store;
    private final BiFunction<TenantId, ApiKey.Mode, Tenant> views;

    /**
     * The keys of {@code database}; {@code views} gives the tenant view of a key's tenant in the key's mode (the
     * runtime's {@code Tenant}, in test mode for a test key).
     */
    public ApiKeyAuthenticator(Database database, Clock clock, BiFunction<TenantId, ApiKey.Mode, Tenant> views) {
        this.store = new ApiKeyStore(database, clock);
        this.views = Objects.requireNonNull(views, "views");
    }

    /**
     * Who {@code key} speaks for: its tenant's view in the key's mode, so that the sends of a test key
     * ({@code irx_test_…}) made through {@link Authentication#tenant()} never reach a real provider.
     *
     * @throws AuthenticationException when it is malformed, unknown, revoked or expired (which of them, it does not
     *     say)
     */
    public Authentication authenticate(String key) {
        ApiKey found = store.authenticate(key);
        return new Authentication(views.apply(found.tenant(), found.mode()), found.id(), found.mode(),
                found.scopes());
    }

    /** The keys of {@code tenant}. */
    public ApiKeys of(TenantId tenant) {
        return new ApiKeys(store, tenant);
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticator";
    }
}
