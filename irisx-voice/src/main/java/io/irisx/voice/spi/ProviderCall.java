package io.irisx.voice.spi;

import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import java.util.Objects;

/**
 * A call a provider placed, as IRISX names it to that provider again (to hang it up or redirect it); immutable.
 *
 * @param id IRISX's id for the call
 * @param tenant whose call it is
 * @param providerCallId the provider's id for it
 */
public record ProviderCall(CallId id, TenantId tenant, String providerCallId) {

    /** Checks every field. */
    public ProviderCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(providerCallId, "providerCallId");
    }
}
