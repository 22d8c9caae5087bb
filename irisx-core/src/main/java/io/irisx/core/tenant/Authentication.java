package io.irisx.core.tenant;

import io.irisx.core.TenantId;
import java.util.Objects;
import java.util.Set;

/**
 * Who a request's API key speaks for, and what it may do; immutable.
 *
 * @param tenant the key's tenant: the host continues with {@code irisx.tenant(tenant)}
 * @param keyId the key's id
 * @param mode live or test
 * @param scopes what the key allows
 */
public record Authentication(TenantId tenant, String keyId, ApiKey.Mode mode, Set<ApiScope> scopes) {

    /** Copies the scopes; checks that nothing is missing. */
    public Authentication {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(mode, "mode");
        scopes = Set.copyOf(scopes);
    }

    /** Whether the key allows {@code scope}. */
    public boolean allows(ApiScope scope) {
        return scopes.contains(scope);
    }

    /**
     * Refuses a request the key does not allow.
     *
     * @throws MissingScopeException naming the scope, for the host to answer 403
     */
    public void require(ApiScope scope) {
        if (!allows(scope)) {
            throw new MissingScopeException(scope);
        }
    }
}
