package io.irisx.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identifier of one of the host's tenants (a customer, an account, a workspace); immutable and thread-safe.
 *
 * <p>Every stored row carries a tenant id and every query filters on it, so a client obtained for one tenant
 * through {@link Irisx#tenant(TenantId)} cannot reach another tenant's data. A tenant id is 1 to 64 characters of
 * ASCII letters, digits, {@code -}, {@code _} and {@code .}, starting with a letter or digit.
 *
 * @param value the tenant id as the host names it
 */
public record TenantId(String value) implements Comparable<TenantId> {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Checks the value; throws {@link IrisxValidationException} naming it when it is not a valid tenant id. */
    public TenantId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IrisxValidationException("tenantId", value,
                    "must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    /** Returns the tenant id for {@code value}, checked as by the canonical constructor. */
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
