package io.irisx.core.tenant;

/** Whether a registered tenant may send. */
public enum TenantStatus {
    /** It sends as usual. */
    ACTIVE,
    /** Its sends are refused with {@link io.irisx.core.TenantSuspendedException} until it is resumed. */
    SUSPENDED
}
