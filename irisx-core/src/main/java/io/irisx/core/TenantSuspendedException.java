package io.irisx.core;

import java.util.Objects;

/** The tenant is suspended: nothing it sends is stored or sent until the host resumes it. */
public class TenantSuspendedException extends IrisxException {

    private final TenantId tenant;
    private final String reason;

    /**
     * @param tenant the suspended tenant
     * @param reason why the host suspended it
     */
    public TenantSuspendedException(TenantId tenant, String reason) {
        super("tenant " + Objects.requireNonNull(tenant, "tenant") + " is suspended"
                + (reason == null || reason.isEmpty() ? "" : ": " + reason));
        this.tenant = tenant;
        this.reason = reason == null ? "" : reason;
    }

    /** The suspended tenant. */
    public TenantId tenant() {
        return tenant;
    }

    /** Why it was suspended; empty when the host gave no reason. */
    public String reason() {
        return reason;
    }
}
