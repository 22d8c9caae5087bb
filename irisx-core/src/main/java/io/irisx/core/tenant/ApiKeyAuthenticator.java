package io.irisx.core.tenant;

import io.irisx.core.AuthenticationException;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import java.time.Clock;

/**
 * Checks the API keys presented to the host's API; thread-safe, from {@link io.irisx.core.Irisx#apiKeys()}.
 * {@link #authenticate} reads one row by the key's lookup prefix and compares SHA-256 hashes in constant time; every
 * refusal is the same {@link AuthenticationException}, whatever the reason. A key's last-used time is written at most
 * once a minute per process, not once per request.
 */
public final class ApiKeyAuthenticator {

    private final ApiKeyStore store;

    /** The keys of {@code database}. */
    public ApiKeyAuthenticator(Database database, Clock clock) {
        this.store = new ApiKeyStore(database, clock);
    }

    /**
     * Who {@code key} speaks for.
     *
     * @throws AuthenticationException when it is malformed, unknown, revoked or expired (which of them, it does not
     *     say)
     */
    public Authentication authenticate(String key) {
        return store.authenticate(key);
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
