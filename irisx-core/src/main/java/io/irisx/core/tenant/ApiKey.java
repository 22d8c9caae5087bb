package io.irisx.core.tenant;

import io.irisx.core.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An API key as stored, without its secret text (IRISX keeps only its SHA-256); immutable.
 *
 * @param id its id, to list and revoke it by
 * @param tenant whose it is
 * @param name what the tenant called it
 * @param mode live or test
 * @param hint the key's first characters ({@code irx_live_AbCd1234}), to tell keys apart
 * @param scopes what it allows
 * @param createdAt when it was created
 * @param expiresAt when it stops working, if ever
 * @param revokedAt when it was revoked, if it was
 * @param lastUsedAt when it last authenticated, to the minute; empty if never
 */
public record ApiKey(String id, TenantId tenant, String name, Mode mode, String hint, Set<ApiScope> scopes,
        Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> revokedAt, Optional<Instant> lastUsedAt) {

    /** Whether a key acts for real or for tests. */
    public enum Mode {
        /** {@code irx_live_…}: real sends. */
        LIVE,
        /**
         * {@code irx_test_…}: for the tenant's tests. Its {@linkplain Authentication#tenant() tenant view} is in test
         * mode: its email and SMS go only to each module's test providers (by default a sandbox that calls no one),
         * never to a real provider, and are neither metered as billable usage nor reserved against prepaid credit.
         */
        TEST
    }

    /** Copies the scopes; checks that nothing is missing. */
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(hint, "hint");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
}
