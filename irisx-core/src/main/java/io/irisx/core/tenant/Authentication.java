package io.irisx.core.tenant;

import io.irisx.core.Tenant;
import java.util.Objects;
import java.util.Set;

/**
 * Who a request's API key speaks for, and what it may do; immutable.
 *
 * <p>The host continues with {@link #tenant()}, the key's tenant in the key's mode: for a test key
 * ({@code irx_test_…}) a view in test mode, whose sends go only to the modules' test providers and are not billed.
 * A host that instead takes the id ({@code tenant().id()}) and calls {@code irisx.tenant(id)} gets a live view, and
 * loses that protection.
 *
 * @param tenant the key's tenant, seen in the key's mode ({@link Tenant#mode()})
 * @param keyId the key's id
 * @param mode live or test
 * @param scopes what the key allows
 */
public record Authentication(Tenant tenant, String keyId, ApiKey.Mode mode, Set<ApiScope> scopes) {

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
